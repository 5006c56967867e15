package dev.nmilab.scenario;

/** Builds the key paths errors name: {@code machine.cpus}, {@code events[2].at}. */
final class KeyPaths {

    private KeyPaths() {
    }

    static String child(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }

    static String item(String parent, int index) {
        return parent + "[" + index + "]";
    }
}
