/* SPDX-License-Identifier: BSD-2-Clause */
/* The demo root task: greets, shows what the kernel told it, powers off. */
#include <l4/kip.h>
#include <l4/kdebug.h>
#include <l4/thread.h>
#include <l4/schedule.h>
#include <pecan/io.h>

#define POWEROFF_OK 0x10

int main(void)
{
    void *kip = L4_GetKernelInterface();
    printf("\nHello from the Pecan root task!\n");
    printf("  kernel:    %s\n", L4_KernelVersionString(kip));
    printf("  API:       version %lx, flags %lx\n", L4_ApiVersion(), L4_ApiFlags());
    printf("  me:        %lx (local %lx)\n", L4_Myself().raw, L4_MyLocalId().raw);
    printf("  threads:   system base %lu, user base %lu, %lu id bits\n",
           L4_ThreadIdSystemBase(kip), L4_ThreadIdUserBase(kip), L4_ThreadIdBits(kip));
    printf("  cpu:       %lu kHz\n", L4_ProcDescInternalFreq(L4_ProcDesc(kip, 0)));
    printf("  clock:     %lu us since boot\n", (unsigned long)L4_SystemClock().raw);
    printf("Bye.\n");
    L4_KDB_PowerOff(POWEROFF_OK);
    return 0;
}
