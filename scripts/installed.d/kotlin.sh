#!/usr/bin/env bash
# The jar of dist/kotlin used the way a user uses it: installed with `mvn install:install-file`
# (jar, pom, sources), then a separate Maven project outside the repository depends on
# dev.lpconfig:lpconfig-kotlin, compiles a Kotlin main and runs it against a lpconfig-emulator
# subprocess, with no jna.library.path and no cargo or rustc on PATH: JNA must load the library
# from the jar. Also checks that the packaged library does not carry the emulator (D23).
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$PWD"
pom="$root/bindings/uniffi/kotlin/pom.xml"
version=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' "$pom" | head -1)
kotlin_version=$(sed -n 's:.*<kotlin.version>\(.*\)</kotlin.version>.*:\1:p' "$pom")
dist="$root/dist/kotlin"
jar="$dist/lpconfig-kotlin-$version.jar"
# The release emulator the Python testing wheel ships (built with the other release artifacts).
source scripts/dist-env.sh
emulator="${CARGO_TARGET_DIR:-$root/target}/$LP_TARGET/release/lpconfig-emulator"
for f in "$jar" "$dist/lpconfig-kotlin-$version.pom" "$dist/lpconfig-kotlin-$version-sources.jar"; do
  [ -f "$f" ] || { echo "kotlin: missing $f (bash scripts/dist.sh)"; echo "kotlin-installed: 0 passed, 1 failed"; exit 1; }
done
[ -x "$emulator" ] ||
  cargo zigbuild --release --quiet --target "$LP_TARGET.$LP_GLIBC" -p lpconfig-emulator --bin lpconfig-emulator

source "$root/scripts/without-rust.sh"

work=$(mktemp -d)
trap 'kill "${emu_pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
passed=0 failed=0
check() {
  local name=$1; shift
  if "$@"; then echo "ok - $name"; passed=$((passed + 1)); else echo "not ok - $name"; failed=$((failed + 1)); fi
}
mvnq() { mvn -B -q -Dstyle.color=never "$@"; }

t0=$(date +%s%N)
mvnq install:install-file -Dfile="$jar" -DpomFile="$dist/lpconfig-kotlin-$version.pom" \
  -Dsources="$dist/lpconfig-kotlin-$version-sources.jar"
t1=$(date +%s%N)

mkdir -p "$work/app/src/main/kotlin"
cat > "$work/app/pom.xml" <<XML
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>example</groupId>
  <artifactId>lpconfig-installed-check</artifactId>
  <version>1</version>
  <properties><project.build.sourceEncoding>UTF-8</project.build.sourceEncoding></properties>
  <dependencies>
    <dependency>
      <groupId>dev.lpconfig</groupId>
      <artifactId>lpconfig-kotlin</artifactId>
      <version>$version</version>
    </dependency>
  </dependencies>
  <build>
    <sourceDirectory>src/main/kotlin</sourceDirectory>
    <plugins>
      <plugin>
        <groupId>org.jetbrains.kotlin</groupId>
        <artifactId>kotlin-maven-plugin</artifactId>
        <version>$kotlin_version</version>
        <executions><execution><id>compile</id><goals><goal>compile</goal></goals></execution></executions>
        <configuration><jvmTarget>17</jvmTarget></configuration>
      </plugin>
    </plugins>
  </build>
</project>
XML
cat > "$work/app/src/main/kotlin/Smoke.kt" <<'KT'
import dev.lpconfig.*

suspend fun main(args: Array<String>) {
    check(System.getProperty("jna.library.path") == null) { "jna.library.path is set" }
    val config = ClientConfig(
        account = "demo",
        credentials = Credentials.Password(username = "admin", password = Secret("demo-password-1")),
        csdsUrl = args[0],
    )
    Client(config).use { client ->
        val users = client.users().list()
        check(users.value.any { it.loginName == "jane.doe" }) { "no jane.doe" }
        try {
            client.users().get(987654321L)
            error("a missing user was found")
        } catch (e: LpException.NotFound) {
            // the typed error crosses the installed library
        }
        client.logout()
        println("kotlin smoke: ${users.value.size} users")
    }
}
KT

cd "$work/app"
mvnq package
mvnq dependency:build-classpath -Dmdep.outputFile=cp.txt
"$emulator" --port 0 > "$work/emu.out" 2>/dev/null &
emu_pid=$!
for _ in $(seq 100); do grep -q 'listening on' "$work/emu.out" 2>/dev/null && break; sleep 0.05; done
url=$(sed -n 's/^lpconfig-emulator listening on //p' "$work/emu.out")
check "the jar's library loads from the classpath; smoke against the emulator" \
  java -cp "target/classes:$(cat cp.txt)" SmokeKt "$url"
so="$work/so"
mkdir -p "$so" && (cd "$so" && unzip -q "$jar" 'linux-x86-64/*')
check "the jar carries linux-x86-64/liblpconfig_ffi.so" test -f "$so/linux-x86-64/liblpconfig_ffi.so"
no_emulator() { ! grep -qa -e 'lpconfig-emulator' -e 'axum' "$so/linux-x86-64/liblpconfig_ffi.so"; }
check "the packaged library does not link the emulator (D23)" no_emulator
stripped() { local kind; kind=$(file "$so/linux-x86-64/liblpconfig_ffi.so"); [[ $kind != *"not stripped"* ]]; }
check "the packaged library is stripped" stripped
check "the packaged library needs glibc 2.17 at most" bash "$root/scripts/glibc-floor.sh" "$so/linux-x86-64/liblpconfig_ffi.so"

echo "figures: jar $(stat -c %s "$jar") B; mvn install:install-file $(((t1 - t0) / 1000000)) ms"
echo "kotlin-installed: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
