/* SPDX-License-Identifier: BSD-2-Clause */
/* ProcessorControl (X.2 §6.3, docs/control.md): privileged, the processor
 * number must index the KIP's descriptors; Pecan changes no frequency or
 * voltage, so only "unchanged" (−1) and the current frequencies succeed. */
#include "suite.h"
#include "thread_helpers.h"
#include <l4/misc.h>
#include <l4/kip.h>
#include <l4/thread.h>

#define KEEP (~0UL)

TEST(processor_control, unchanged_and_current_values)
{
    L4_ProcDesc_t *d = L4_ProcDesc(test_kip(), 0);
    CHECK(d);
    CHECK_EQ(L4_ProcessorControl(0, KEEP, KEEP, KEEP), 1);
    CHECK_EQ(L4_ProcessorControl(0, L4_ProcDescInternalFreq(d), L4_ProcDescExternalFreq(d),
                                 KEEP), 1);
}

TEST(processor_control, bad_input)
{
    L4_ProcDesc_t *d = L4_ProcDesc(test_kip(), 0);
    CHECK(d);
    L4_Word_t cpus = L4_NumProcessors(test_kip());
    L4_Word_t bad_cpu[] = { cpus, cpus + 1, 0xFFFF, ~0UL };
    for (unsigned i = 0; i < sizeof(bad_cpu) / sizeof(bad_cpu[0]); i++) {
        CHECK_EQ(L4_ProcessorControl(bad_cpu[i], KEEP, KEEP, KEEP), 0);
        CHECK_EQ(L4_ErrorCode(), L4_ErrInvalidParam);
    }
    /* Frequencies it cannot set and any voltage (0 would stop the CPU). */
    CHECK_EQ(L4_ProcessorControl(0, L4_ProcDescInternalFreq(d) / 2, KEEP, KEEP), 0);
    CHECK_EQ(L4_ErrorCode(), L4_ErrInvalidParam);
    CHECK_EQ(L4_ProcessorControl(0, KEEP, L4_ProcDescExternalFreq(d) + 1000, KEEP), 0);
    CHECK_EQ(L4_ErrorCode(), L4_ErrInvalidParam);
    CHECK_EQ(L4_ProcessorControl(0, KEEP, KEEP, 0), 0);
    CHECK_EQ(L4_ErrorCode(), L4_ErrInvalidParam);
    CHECK_EQ(L4_ProcessorControl(0, KEEP, KEEP, 1200), 0);
    CHECK_EQ(L4_ErrorCode(), L4_ErrInvalidParam);
    CHECK_EQ(L4_ProcessorControl(0, KEEP, KEEP, KEEP), 1);     /* still running */
}

static volatile L4_Word_t pc_result = 99, pc_error;

static void try_processor_control(void)
{
    pc_result = L4_ProcessorControl(0, KEEP, KEEP, KEEP);
    pc_error = L4_ErrorCode();
}

TEST(processor_control, no_privilege)
{
    CHECK(test_run_unprivileged(try_processor_control));
    CHECK_EQ(pc_result, 0);
    CHECK_EQ(pc_error, L4_ErrNoPrivilege);
}
