package dev.nmilab.unicorn;

/** uc_prot bits for mapped memory. */
public final class Protection {
    public static final int NONE = 0;
    public static final int READ = 1;
    public static final int WRITE = 2;
    public static final int EXEC = 4;
    public static final int ALL = READ | WRITE | EXEC;

    private Protection() {
    }

    static void check(int perms) {
        if ((perms & ~ALL) != 0) {
            throw new IllegalArgumentException("protection bits out of range: " + perms);
        }
    }
}
