package dev.nmilab.x86;

/** A fault raised while delivering an event through the IDT or while executing IRET. */
final class DeliveryFault extends Exception {
    final int vector;
    final long errorCode;
    final long faultAddress;

    DeliveryFault(int vector, long errorCode, long faultAddress, String why) {
        super(why, null, false, false);
        this.vector = vector;
        this.errorCode = errorCode;
        this.faultAddress = faultAddress;
    }

    static DeliveryFault generalProtection(long errorCode, String why) {
        return new DeliveryFault(Vector.GP, errorCode, 0, why);
    }

    static DeliveryFault pageFault(long address, boolean write, String why) {
        return new DeliveryFault(Vector.PF, write ? 2 : 0, address, why);
    }
}
