package dev.nmilab.nmi.entry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The same injections give the same event log, byte for byte. */
class EntryDeterminismTest {
    private static String run(NmiEntryVariant variant) {
        try (NmiEntryRig rig = NmiEntryRig.withAsmBody(variant)) {
            rig.nmiAt("nmi_site", 1);
            rig.nmiAt("bp_returned", 1);
            if (variant == NmiEntryVariant.NESTED_SAFE) {
                rig.nmiAfter("repeat_nmi", 2, 4);
            } else {
                rig.nmiAt("bp2_returned", 1);
            }
            rig.run();
            return rig.log.toJsonLines();
        }
    }

    @ParameterizedTest
    @EnumSource(NmiEntryVariant.class)
    void twoRunsWriteTheSameEvents(NmiEntryVariant variant) {
        String first = run(variant);
        assertTrue(first.contains("\"type\":\"exception\"") && first.contains("\"type\":\"iret\""));
        assertEquals(first, run(variant));
    }
}
