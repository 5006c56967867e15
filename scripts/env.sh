# Sourced by ./nmilab and ./scripts/test: find a JDK >= 25 and the native tools nmilab needs,
# installing Debian's packages when missing and running as root.

nmilab_die() { echo "nmilab: $*" >&2; exit 2; }

# Maven itself runs on the JDK found below; its bundled Guava touches sun.misc.Unsafe.
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"


nmilab_java_major() { "$1" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1; }

nmilab_find_jdk() {
  local candidate
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ] && [ "$(nmilab_java_major "$JAVA_HOME/bin/java")" -ge 25 ] 2>/dev/null; then
    return 0
  fi
  for candidate in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
    if [ -x "$candidate/bin/javac" ] && [ "$(nmilab_java_major "$candidate/bin/java")" -ge 25 ] 2>/dev/null; then
      export JAVA_HOME="${candidate%/}"
      return 0
    fi
  done
  nmilab_die "no JDK >= 25 found (set JAVA_HOME, or install one under /usr/lib/jvm, e.g. Temurin 25)"
}

nmilab_missing_packages() {
  local missing=""
  # grep without -q: an early exit would SIGPIPE ldconfig and fail the pipeline under pipefail
  ldconfig -p 2>/dev/null | grep 'libunicorn\.so\.2' >/dev/null || missing="$missing libunicorn2"
  for tool in as ld objdump; do command -v "$tool" >/dev/null 2>&1 || { missing="$missing binutils"; break; }; done
  command -v gcc >/dev/null 2>&1 || missing="$missing gcc"
  command -v mvn >/dev/null 2>&1 || missing="$missing maven"
  echo "$missing"
}

nmilab_ensure_packages() {
  local missing
  missing="$(nmilab_missing_packages)"
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "nmilab: installing$missing" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 \
      && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >&2 \
      || nmilab_die "apt-get install$missing failed"
    missing="$(nmilab_missing_packages)"
    [ -z "$missing" ] || nmilab_die "still missing after install:$missing"
  else
    nmilab_die "missing Debian packages:$missing (run: apt-get install$missing)"
  fi
}
