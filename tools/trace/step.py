# SPDX-License-Identifier: BSD-2-Clause
# gdb script for tools/trace/ipc-trace: stop in pingpong series TRACE_SKIP,
# skip its warm-up (50 round trips, two Ipc stub calls each), then record
# TRACE_STEPS program counters to TRACE_OUT.
import os
import gdb

IPC_STUB_ENTRY = 0xFFFFFF0000000080   # KIP slot 4 of the user stub page

gdb.execute("set pagination off")
gdb.execute("set confirm off")
gdb.execute("target remote :1234")
gdb.execute("hbreak pingpong")
gdb.execute("continue")
for _ in range(int(os.environ["TRACE_SKIP"])):
    gdb.execute("continue")
gdb.execute("delete")
gdb.execute("hbreak *0x%x" % IPC_STUB_ENTRY)
gdb.execute("ignore 2 120")
gdb.execute("continue")
gdb.execute("delete")
with open(os.environ["TRACE_OUT"], "w") as out:
    for _ in range(int(os.environ["TRACE_STEPS"])):
        out.write("%x\n" % (int(gdb.parse_and_eval("$pc")) & 0xFFFFFFFFFFFFFFFF))
        gdb.execute("stepi", to_string=True)
gdb.execute("kill")
