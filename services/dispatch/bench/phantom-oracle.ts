// Could end-game foresight have saved the misses at all? Runs instances with the end game told the
// orders actually placed in the next `oracleMin` minutes as its phantoms (instead of the forecast),
// and prints delivered and the orders without a certificate, as `--all` would count them.
// npx tsx services/dispatch/bench/phantom-oracle.ts <oracleMin> '<json config overrides>' <instance dir>...
import { dispatchConfig } from '../src/core/config.js';
import { certifyUndelivered } from '../src/mdrp/certify.js';
import { loadInstance } from '../src/mdrp/instance.js';
import { simulateInstance } from '../src/mdrp/simulate.js';
import { formatSolution } from '../src/mdrp/solution.js';
import { validateSolution } from '../src/mdrp/validate.js';

const [oracleS, json, ...dirs] = process.argv.slice(2);
const config = dispatchConfig(JSON.parse(json));
for (const dir of dirs) {
  const inst = loadInstance(dir);
  const cpu0 = process.cpuUsage();
  const result = simulateInstance(inst, config, { oracleMin: Number(oracleS) });
  const cpu = process.cpuUsage(cpu0);
  const { violations, solution } = validateSolution(inst, formatSolution(inst, result));
  const report = certifyUndelivered(inst, solution);
  console.log(
    `${inst.name} delivered ${solution.deliveries.length}/${inst.orders.length} violations ${violations.length} uncertified ${report.avoidable.length} (${report.avoidable.map((a) => a.orderId).join(' ')}) CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s`,
  );
}
