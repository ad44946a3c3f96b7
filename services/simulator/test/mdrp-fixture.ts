import fs from 'node:fs';
import path from 'node:path';

/** A tiny instance in the published MDRP format, written by the test itself. */
export function writeTinyInstance(dir: string, overrides: Partial<Record<string, string>> = {}): string {
  const files: Record<string, string> = {
    'instance_parameters.txt': 'meters_per_minute\tpickup service minutes\tdropoff service minutes\ttarget click-to-door\tmaximum click-to-door\tpay per order\tguaranteed pay per hour\n300\t4\t4\t40\t90\t10\t15\n',
    'restaurants.txt': 'restaurant\tx\ty\nr1\t1000\t1000\nr2\t4000\t1000\n',
    'couriers.txt': 'courier\tx\ty\ton_time\toff_time\nc1\t1000\t1600\t600\t720\nc2\t4000\t4000\t600\t720\n',
    'orders.txt': 'order\tx\ty\tplacement_time\trestaurant\tready_time\no1\t1000\t4000\t610\tr1\t625\no2\t1300\t3000\t612\tr1\t620\no3\t4000\t1500\t630\tr2\t640\n',
    'instance_characteristics.txt': 'number of orders: 3\n',
    ...overrides,
  };
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) if (text !== undefined) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}
