package dev.nmilab.kernel.runtime;

import dev.nmilab.memory.GuestMemory;
import java.nio.charset.StandardCharsets;

/**
 * init_uts_ns (init/version.c): the initial UTS namespace, whose struct new_utsname is what
 * uname(2) reports and what dump readers (makedumpfile's check_release(), crash) compare with
 * OSRELEASE. Since Linux 5.11 the name is the first member of struct uts_namespace
 * (include/linux/utsname.h), so OFFSET(uts_namespace.name) is 0.
 *
 * <pre>
 *  struct new_utsname  +0 sysname  +65 nodename  +130 release  +195 version  +260 machine  +325 domainname
 *                      (char[__NEW_UTS_LEN + 1] each, NUL-padded)
 * </pre>
 */
public final class InitUtsNs {
    /** __NEW_UTS_LEN + 1 (include/uapi/linux/utsname.h). */
    public static final int FIELD = 65;
    public static final int SYSNAME = 0;
    public static final int NODENAME = FIELD;
    public static final int RELEASE = 2 * FIELD;
    public static final int VERSION = 3 * FIELD;
    public static final int MACHINE = 4 * FIELD;
    public static final int DOMAINNAME = 5 * FIELD;
    public static final int SIZEOF_NEW_UTSNAME = 6 * FIELD;
    /** OFFSET(uts_namespace.name). */
    public static final int NAME = 0;
    /** UTS_NODENAME and UTS_DOMAINNAME: CONFIG_DEFAULT_HOSTNAME's default and the fixed "(none)". */
    public static final String NONE = "(none)";

    private InitUtsNs() {
    }

    /** Write init_uts_ns.name at {@code address}: Linux, (none), the identity's release and version, x86_64. */
    public static void write(GuestMemory memory, long address, KernelIdentity identity) {
        byte[] name = new byte[SIZEOF_NEW_UTSNAME];
        put(name, SYSNAME, "Linux");
        put(name, NODENAME, NONE);
        put(name, RELEASE, identity.release());
        put(name, VERSION, identity.version());
        put(name, MACHINE, "x86_64");
        put(name, DOMAINNAME, NONE);
        memory.write(address + NAME, name);
    }

    /** One field of the new_utsname at {@code address} (up to its NUL). */
    public static String field(GuestMemory memory, long address, int field) {
        byte[] bytes = memory.read(address + NAME + field, FIELD);
        int length = 0;
        while (length < FIELD && bytes[length] != 0) {
            length++;
        }
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    private static void put(byte[] name, int field, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length >= FIELD) {
            throw new IllegalArgumentException("utsname field longer than " + (FIELD - 1) + " bytes: '" + value + "'");
        }
        System.arraycopy(bytes, 0, name, field, bytes.length);
    }
}
