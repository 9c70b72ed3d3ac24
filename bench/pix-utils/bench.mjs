// Parses the BR Code that crates/brcode/benches/brcode.rs parses, with the
// pix-utils npm library, and prints ops/s. Usage: npm ci && npm run bench
import { parsePix, hasError } from 'pix-utils';

// Same payload as `payload()` in crates/brcode/benches/brcode.rs (163 bytes).
const PAYLOAD =
  '00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-4266554400005204000053039865406129.905802BR5917LOJA EXEMPLO LTDA6009SAO PAULO62180514PEDIDO2026000163046D14';

const check = parsePix(PAYLOAD);
if (hasError(check) || check.pixKey !== '123e4567-e12b-12d1-a456-426655440000') {
  console.error('pix-utils did not parse the payload:', check);
  process.exit(1);
}
const broken = parsePix(PAYLOAD.slice(0, -1) + '5');
if (!hasError(broken)) {
  console.error('pix-utils accepted a wrong CRC; the comparison would be unfair');
  process.exit(1);
}

function run(seconds) {
  const end = process.hrtime.bigint() + BigInt(seconds * 1e9);
  let ops = 0;
  let sink = 0;
  const start = process.hrtime.bigint();
  while (process.hrtime.bigint() < end) {
    for (let i = 0; i < 1000; i++) {
      const pix = parsePix(PAYLOAD);
      sink += pix.transactionAmount;
    }
    ops += 1000;
  }
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  return { opsPerSec: ops / elapsed, sink };
}

run(1); // warm-up (JIT)
const { opsPerSec } = run(Number(process.env.SECONDS_PER_RUN || 5));
console.log(
  JSON.stringify({
    library: 'pix-utils',
    version: '2.8.2',
    node: process.version,
    payload_bytes: PAYLOAD.length,
    parse_ops_per_sec: Math.round(opsPerSec),
    ns_per_parse: Math.round(1e9 / opsPerSec),
  }),
);
