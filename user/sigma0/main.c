/* SPDX-License-Identifier: BSD-2-Clause */
/* sigma0: the root pager, owner of all physical memory.
 *
 * It reads the memory descriptors of the KIP to learn what RAM exists.
 * Serving the sigma0 protocol needs IPC and mapping; until those exist the
 * kernel resolves the root task's faults 1:1 on sigma0's behalf, so sigma0
 * announces itself and stops.
 */
#include <l4/kip.h>
#include <l4/thread.h>
#include <pecan/io.h>

static L4_Word_t conventional_kib(void *kip)
{
    L4_Word_t kib = 0;
    for (L4_Word_t i = 0; i < L4_NumMemoryDescriptors(kip); i++) {
        L4_MemoryDesc_t *m = L4_MemoryDesc(kip, i);
        if (!L4_IsMemoryDescVirtual(m) && L4_MemoryDescType(m) == L4_ConventionalMemoryType) {
            kib += (L4_MemoryDescHigh(m) - L4_MemoryDescLow(m) + 1) >> 10;
        }
    }
    return kib;
}

int main(void)
{
    void *kip = L4_GetKernelInterface();
    printf("sigma0: %lu KiB of conventional memory described by the KIP\n",
           conventional_kib(kip));
    L4_Stop(L4_Myself());
    return 0;
}
