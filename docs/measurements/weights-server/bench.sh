#!/bin/bash
# The measurement behind "HTTP servers" in docs/architecture.md: the trainer's weights server on the JDK's
# HttpServer (PolicyFileServer as shipped) against two Micronaut versions of it (mn: a controller answering with
# SystemFile; mnstream: with StreamedFile). Per run and server: a fresh server JVM with ddpp's flags, its time
# from JVM start to serving and its RSS (idle, and peak after the downloads), then a fresh client JVM that
# downloads a 5 MB file 20 times and a 50 MB file 6 times (after 2 and 1 warm-up downloads) like PolicyFetcher
# does (java.net.http, BodyHandlers.ofFile), printing the median, min and max MB/s.
#
# usage, from the repository root, after `mvn -o -pl ops -am test-compile`:
#   docs/measurements/weights-server/bench.sh RUNS [IMPL...]      (IMPL: jdk mn mnstream; default all three)
set -euo pipefail
root="$(pwd)"
here="$root/docs/measurements/weights-server"
work="$root/ops/target/weights-bench"
runs=${1:-5}; shift || true
impls=${*:-jdk mn mnstream}
mkdir -p "$work/classes" "$work/pp" "$work/files/bench-run"
if [[ ! -f "$work/cp.txt" ]]; then
  flock /tmp/ddpp-mvn.lock mvn -B -ntp -o -q -pl ops -am dependency:build-classpath -Dmdep.outputFile="$work/deps.txt" >&2
  cat > "$work/pp/pom.xml" <<'POM'
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
<groupId>bench</groupId><artifactId>pp</artifactId><version>1</version>
<dependencies><dependency><groupId>io.micronaut</groupId><artifactId>micronaut-inject-java</artifactId><version>4.10.15</version></dependency></dependencies>
</project>
POM
  (cd "$work/pp" && flock /tmp/ddpp-mvn.lock mvn -B -ntp -o -q dependency:build-classpath -Dmdep.outputFile="$work/pp.txt" >&2)
  # this checkout's classes, not the snapshots in ~/.m2
  { for m in schemas runtime diffusion scorers producers trainer ops; do printf '%s:' "$root/$m/target/classes"; done
    tr ':' '\n' < "$work/deps.txt" | grep -v '/org/ddpp/' | paste -sd: ; } > "$work/cp.txt"
fi
javac -cp "$(cat "$work/cp.txt")" -processorpath "$(cat "$work/pp.txt")" -Amicronaut.processing.group=bench \
  -Amicronaut.processing.module=bench -d "$work/classes" "$here"/*.java
[[ -f "$work/files/bench-run/v1.params" ]] || head -c 5000000 /dev/urandom > "$work/files/bench-run/v1.params"
[[ -f "$work/files/bench-run/v2.params" ]] || head -c 50000000 /dev/urandom > "$work/files/bench-run/v2.params"
CP="$work/classes:$(cat "$work/cp.txt")"
echo "uptime before: $(uptime)"
for run in $(seq 1 "$runs"); do
  for impl in $impls; do
    coproc SRV { exec java -Xmx4g -XX:+UseSerialGC -cp "$CP" bench.WeightsBench server "$impl" "$work/files" 2>/dev/null; }
    pid=$SRV_PID
    read -r line <&"${SRV[0]}"
    port=$(echo "$line" | awk '{print $2}')
    sleep 1
    rss0=$(awk '/VmRSS/{print $2}' /proc/$pid/status)
    c5=$(java -XX:+UseSerialGC -cp "$CP" bench.WeightsBench client "http://127.0.0.1:$port/policies" bench-run/v1.params 20 2)
    c50=$(java -XX:+UseSerialGC -cp "$CP" bench.WeightsBench client "http://127.0.0.1:$port/policies" bench-run/v2.params 6 1)
    rss1=$(awk '/VmRSS/{print $2}' /proc/$pid/status); hwm=$(awk '/VmHWM/{print $2}' /proc/$pid/status)
    eval "exec ${SRV[1]}>&-"; wait $pid || true
    echo "RESULT run=$run impl=$impl jvm_to_ready_ms=$(echo "$line" | awk '{print $3}') start_ms=$(echo "$line" | awk '{print $4}')" \
      "rss_idle_mb=$((rss0/1024)) rss_after_mb=$((rss1/1024)) rss_peak_mb=$((hwm/1024))" \
      "5MB=$(echo "$c5" | awk '{print $4}') 5MBmin=$(echo "$c5" | awk '{print $7}') 5MBmax=$(echo "$c5" | awk '{print $9}')" \
      "50MB=$(echo "$c50" | awk '{print $4}') 50MBmin=$(echo "$c50" | awk '{print $7}') 50MBmax=$(echo "$c50" | awk '{print $9}')"
  done
  echo "uptime after run $run: $(uptime)"
done
