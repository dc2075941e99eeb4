/* The trampoline program (src/trampoline/trampoline.c), built first and
 * carried in the runtime's read-only data: linux/trampoline.c seals it into
 * a memfd for the container's last exec. TRAMPOLINE_BIN names the file. */
	.section .rodata
	.balign 16
	.globl berth_trampoline
	.type berth_trampoline, @object
berth_trampoline:
	.incbin TRAMPOLINE_BIN
	.globl berth_trampoline_end
berth_trampoline_end:
	.section .note.GNU-stack,"",@progbits
