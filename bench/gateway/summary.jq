# Turns the JSON lines of bench/gateway/run (read with jq -rs) into one table per operation
# and the ratios of the C++ gateway against the direct calls and the Apollo peer.
def decimals(n; d): (n * pow(10; d) | round) / pow(10; d) | tostring;
def cpu: if .cpuSecondsPer1000 == null then "-" else decimals(.cpuSecondsPer1000; 3) end;
def client_cpu: decimals(.clientCpuSeconds * 1000 / ([.operations, 1] | max); 3);
def service_cpu(name): if .servicesCpu[name] == null then "-" else decimals(.servicesCpu[name].cpuSecondsPer1000; 3) end;
def row: "| \(.target) | \(decimals(.perSecond; 0)) | \(decimals(.p50Ms; 2)) | \(decimals(.p99Ms; 2)) | \(.failures) | \(cpu) | \(service_cpu("orders")) | \(service_cpu("offers")) | \(client_cpu) |";
def verdict(ok): if ok then "met" else "not met" end;

. as $all
| ["offers-near", "place-order"][] as $operation
| ($all | map(select(.operation == $operation)) | INDEX(.target)) as $by
| select($by.gateway and $by.direct and $by.apollo)
| $by.gateway as $gateway | $by.direct as $direct | $by.apollo as $apollo
| ($direct.perSecond / $gateway.perSecond - 1) as $overhead
| ($gateway.perSecond / $apollo.perSecond) as $speedup
| "\($operation), \($gateway.connections) connections, \($gateway.seconds) s measured per target:",
  "",
  "| target | operations/s | p50 ms | p99 ms | failures | gateway CPU s per 1000 | orders CPU s per 1000 | offers CPU s per 1000 | client CPU s per 1000 |",
  "|---|---|---|---|---|---|---|---|---|",
  ($gateway, $direct, $apollo | row),
  "",
  "gateway overhead against direct: \(decimals($overhead * 100; 1))% more time per operation (direct throughput / gateway throughput - 1); p50 \(decimals($gateway.p50Ms - $direct.p50Ms; 2)) ms more. Goal under 50%: \(verdict($overhead < 0.5)).",
  "gateway against Apollo: \(decimals($speedup; 2)) times the throughput, p99 \(decimals($gateway.p99Ms; 2)) ms against \(decimals($apollo.p99Ms; 2)) ms, \(decimals($apollo.cpuSecondsPer1000 / $gateway.cpuSecondsPer1000; 2)) times less gateway CPU per operation. Goal at least 5 times the throughput at a lower p99: \(verdict($speedup >= 5 and $gateway.p99Ms < $apollo.p99Ms)).",
  ""
