/* SPDX-License-Identifier: BSD-2-Clause */
/* Kernel start-up: bring up the CPU, memory, the KIP and the initial servers.
 *
 * Order matters: the console first (so every later failure is visible),
 * then page tables and the kernel pool, then the KIP (its memory descriptors
 * need the pool and the loaded servers), then timers, then the first threads.
 */
#include <kernel/console.h>
#include <kernel/boot.h>
#include <kernel/kip.h>
#include <kernel/init.h>
#include <kernel/sched.h>
#include <kernel/irq.h>
#include <kernel/memory_db.h>
#include <plat/platform.h>
#include <arch/init.h>

NORETURN void c_kernel_entry(uint32_t magic, uint32_t info);

void c_kernel_entry(uint32_t magic, uint32_t info)
{
    plat_console_init();
    printk("Pecan L4 X.2 microkernel (" PECAN_ARCH ") starting\n");
    plat_parse_boot(magic, info);
    arch_init_cpu();
    memory_init();
    memory_db_init();
    kip_init();
    arch_init_late();
    irq_init();
    sched_init();
    boot_load_servers();
    printk("pecan: entering scheduler\n");
    sched_start();
}
