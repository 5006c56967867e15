package dev.nmilab.asm;

/**
 * The ld script that lays a stub out as one flat image: .text at the chosen
 * address, then .rodata, .data and .bss, each on its own page so the loader
 * can map them with different permissions. Entry-code section names that
 * Linux uses (.entry.text, .noinstr.text) join .text; any other section a
 * stub invents is placed by ld next to the output section with the same
 * flags, which keeps the image contiguous. BUG() entries (__bug_table) go at
 * the end of .rodata between __start___bug_table and __stop___bug_table, as in
 * the kernel's vmlinux.lds; they are absolute, so they stay out of symbol lookup. Notes, comments and unwind tables
 * are dropped: nothing at run time reads them.
 */
final class LinkerScript {

    private LinkerScript() {
    }

    static String forTextAddress(long textAddress) {
        return """
                SECTIONS
                {
                  . = 0x%s;
                  .text : { *(.text .text.* .entry.text .noinstr.text) }
                  . = ALIGN(0x1000);
                  .rodata : { *(.rodata .rodata.*)
                    . = ALIGN(8);
                    __start___bug_table = ABSOLUTE(.); KEEP(*(__bug_table)) __stop___bug_table = ABSOLUTE(.); }
                  . = ALIGN(0x1000);
                  .data : { *(.data .data.*) }
                  . = ALIGN(0x1000);
                  .bss : { *(.bss .bss.*) *(COMMON) }
                  /DISCARD/ : { *(.comment) *(.note .note.*) *(.eh_frame) }
                }
                """.formatted(Long.toHexString(textAddress));
    }
}
