/**
 * Values and percentages printed the way `go tool pprof` prints them (vendored
 * google/pprof internal/measurement): `1.52s`, `13.30MB` (binary multiples), bare
 * counts, `  100%`, `1.2e-05%`. Used for our own tables and to compare with the tool.
 */

interface Unit {
  name: string;
  aliases: string[];
  factor: number;
}

const UNIT_TYPES: { units: Unit[]; defaultUnit: Unit }[] = [
  {
    units: [
      { name: 'B', aliases: ['b', 'byte'], factor: 1 },
      { name: 'kB', aliases: ['kb', 'kbyte', 'kilobyte'], factor: 2 ** 10 },
      { name: 'MB', aliases: ['mb', 'mbyte', 'megabyte'], factor: 2 ** 20 },
      { name: 'GB', aliases: ['gb', 'gbyte', 'gigabyte'], factor: 2 ** 30 },
      { name: 'TB', aliases: ['tb', 'tbyte', 'terabyte'], factor: 2 ** 40 },
      { name: 'PB', aliases: ['pb', 'pbyte', 'petabyte'], factor: 2 ** 50 },
    ],
    defaultUnit: { name: 'B', aliases: ['b', 'byte'], factor: 1 },
  },
  {
    units: [
      { name: 'ns', aliases: ['ns', 'nanosecond'], factor: 1 },
      { name: 'us', aliases: ['μs', 'us', 'microsecond'], factor: 1e3 },
      { name: 'ms', aliases: ['ms', 'millisecond'], factor: 1e6 },
      { name: 's', aliases: ['s', 'sec', 'second'], factor: 1e9 },
      { name: 'hrs', aliases: ['hour', 'hr'], factor: 3600e9 },
    ],
    defaultUnit: { name: 's', aliases: [], factor: 1e9 },
  },
];

/** measurement.sniffUnit: lower-case, drop a plural `s` from names longer than 2. */
function sniffUnit(units: Unit[], unit: string): Unit | undefined {
  let u = unit.toLowerCase();
  if (u.length > 2 && u.endsWith('s')) u = u.slice(0, -1);
  return units.find((x) => x.aliases.includes(u));
}

/**
 * measurement.Scale: `value` in `fromUnit` expressed in `toUnit`, where `minimum`
 * picks the largest unit the value is at least 1 of. Counts stay bare.
 */
export function scaleValue(value: number, fromUnit: string, toUnit = 'minimum'): { value: number; unit: string } {
  if (value < 0) {
    const s = scaleValue(-value, fromUnit, toUnit);
    return { value: -s.value, unit: s.unit };
  }
  for (const type of UNIT_TYPES) {
    const from = sniffUnit(type.units, fromUnit);
    if (!from) continue;
    const v = value * from.factor;
    if (toUnit === 'minimum' || toUnit === 'auto') {
      let f = 0;
      let name = '';
      for (const u of type.units) {
        if (u.factor >= f && v / u.factor >= 1) {
          f = u.factor;
          name = u.name;
        }
      }
      if (f !== 0) return { value: v / f, unit: name };
      return { value: v / type.defaultUnit.factor, unit: type.defaultUnit.name };
    }
    const to = sniffUnit(type.units, toUnit) ?? type.defaultUnit;
    return { value: v / to.factor, unit: to.name };
  }
  return { value, unit: ['count', 'sample', 'unit', 'minimum', 'auto'].includes(toUnit) ? '' : toUnit };
}

/** Fraction digits of the exact expansion looked at to tell a tie (a double's own run out well before). */
const EXACT_DIGITS = 30;

/**
 * Go's `%.Nf`: the exact binary value rounded to `digits` places, a tie to even (strconv).
 * Number#toFixed rounds a tie up, so the two differ on exact ties only: 1219.125 → Go
 * `1219.12`, toFixed `1219.13`. Other values round the same way in both.
 */
export function goToFixed(x: number, digits: number): string {
  const rounded = x.toFixed(digits);
  const width = Math.min(100, digits + EXACT_DIGITS);
  const exact = x.toFixed(width);
  const rest = exact.slice(exact.length - (width - digits));
  if (!/^50*$/.test(rest)) return rounded;
  const truncated = exact.slice(0, exact.length - rest.length).replace(/\.$/, '');
  const lastDigit = Number(truncated.at(-1));
  return lastDigit % 2 === 0 ? truncated : rounded;
}

/** measurement.ScaledLabel: `%.2f` with a trailing `.00` dropped, `0` for zero. */
export function formatPprofValue(value: number, fromUnit: string, toUnit = 'minimum'): string {
  const s = scaleValue(value, fromUnit, toUnit);
  let text = goToFixed(s.value, 2);
  if (text.endsWith('.00')) text = text.slice(0, -3);
  if (text === '0' || text === '-0') return '0';
  return text + s.unit;
}

/** Go's `%.2g` for a non-negative number (used below 1%). */
function goShortG(x: number): string {
  if (x === 0) return '0';
  const exp = Math.floor(Math.log10(Number(x.toPrecision(2))));
  if (exp < -4 || exp >= 2) {
    const [mant, e] = x.toExponential(1).split('e') as [string, string];
    const n = Number(e);
    return `${mant.replace(/\.0$/, '')}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  }
  // Two significant digits: 1 - exp fraction digits (exp ≤ 1 here), rounded like Go.
  return String(Number(goToFixed(x, Math.max(0, 1 - exp))));
}

/** measurement.Percentage: |value/total| as pprof prints it, padded to 5 characters plus `%`. */
export function formatPprofPercent(value: number, total: number): string {
  const ratio = total !== 0 ? Math.abs(value / total) * 100 : 0;
  if (ratio >= 99.95 && ratio <= 100.05) return '  100%';
  if (ratio >= 1) return `${goToFixed(ratio, 2).padStart(5)}%`;
  return `${goShortG(ratio).padStart(5)}%`;
}

/**
 * report.selectOutputUnit: one unit for a whole table, from the smallest non-zero
 * node value (flat, else cum) and the total; when they differ and min×100 < total,
 * the unit of 100×min (so small values still show as 0.01 of it).
 */
export function selectOutputUnit(nodes: readonly { flat: number; cum: number }[], total: number, sampleUnit: string): string {
  if (nodes.length === 0) return 'minimum';
  let min = 0;
  for (const n of nodes) {
    let v = Math.abs(n.flat);
    if (v === 0) v = Math.abs(n.cum);
    if (v > 0 && (min === 0 || v < min)) min = v;
  }
  if (min === 0) min = total;
  const minUnit = scaleValue(min, sampleUnit).unit;
  const maxUnit = scaleValue(total, sampleUnit).unit;
  let unit = minUnit;
  if (minUnit !== maxUnit && min * 100 < total) unit = scaleValue(100 * min, sampleUnit).unit;
  return unit !== '' ? unit : sampleUnit;
}
