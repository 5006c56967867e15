package dev.nmilab.stub;

import dev.nmilab.asm.AssembledImage;
import dev.nmilab.asm.SpecialInstruction;
import dev.nmilab.smp.Machine;
import java.util.List;

/** The instruction sites of an assembled image that CPUs hook: iret, hlt, sti, popf. */
public final class ImageSites {
    private ImageSites() {
    }

    public static Machine.CodeSites image(AssembledImage image) {
        return new Machine.CodeSites(addresses(image, SpecialInstruction.Kind.IRETQ, SpecialInstruction.Kind.IRET),
                addresses(image, SpecialInstruction.Kind.HLT), addresses(image, SpecialInstruction.Kind.STI),
                addresses(image, SpecialInstruction.Kind.POPF));
    }

    private static List<Long> addresses(AssembledImage image, SpecialInstruction.Kind... kinds) {
        List<SpecialInstruction.Kind> wanted = List.of(kinds);
        return image.specialInstructions().stream().filter(s -> wanted.contains(s.kind()))
                .map(SpecialInstruction::address).toList();
    }
}
