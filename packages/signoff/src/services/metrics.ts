/** A label set, e.g. `{outcome: "approved"}`. */
type Labels = Readonly<Record<string, string>>

interface Series {
  readonly help: string
  readonly type: 'counter' | 'gauge' | 'histogram'
  readonly values: Map<string, number>
}

const BUCKETS = [0.1, 0.5, 1, 5, 15, 30, 60, 300, 900, 1800, 3600, 14400, 86400]

/**
 * A small Prometheus registry: counters, gauges and histograms rendered in the text exposition
 * format. One per app (no module-level state).
 */
export class Metrics {
  readonly #series = new Map<string, Series>()

  constructor() {
    this.#define('signoff_requests_total', 'counter', 'Requests by outcome (allowed, denied, pending, approved, rejected, expired, cancelled).')
    this.#define('signoff_time_to_decision_seconds', 'histogram', 'Seconds from creation to a final state for requests that waited for people.')
    this.#define('signoff_channel_delivery_failures_total', 'counter', 'Failed outbox deliveries by kind and channel.')
    this.#define('signoff_policy_errors_total', 'counter', 'Policy evaluation errors and failed policy reloads.')
    this.#define('signoff_policy_reloads_total', 'counter', 'Policy loads by result (ok, error).')
    this.#define('signoff_http_requests_total', 'counter', 'HTTP responses by status class.')
  }

  #define(name: string, type: Series['type'], help: string): void {
    this.#series.set(name, { help, type, values: new Map() })
  }

  /** Adds `by` to a counter. */
  inc(name: string, labels: Labels = {}, by = 1): void {
    const s = this.#get(name)
    const key = labelKey(labels)
    s.values.set(key, (s.values.get(key) ?? 0) + by)
  }

  /** Records one observation in a histogram. */
  observe(name: string, value: number, labels: Labels = {}): void {
    const s = this.#get(name)
    for (const b of BUCKETS) if (value <= b) this.#add(s, labelKey({ ...labels, le: String(b) }), 1)
    this.#add(s, labelKey({ ...labels, le: '+Inf' }), 1)
    this.#add(s, `sum${labelKey(labels)}`, value)
    this.#add(s, `count${labelKey(labels)}`, 1)
  }

  /** The current value of a counter series (for tests). */
  value(name: string, labels: Labels = {}): number {
    return this.#get(name).values.get(labelKey(labels)) ?? 0
  }

  #add(s: Series, key: string, by: number): void {
    s.values.set(key, (s.values.get(key) ?? 0) + by)
  }

  #get(name: string): Series {
    const s = this.#series.get(name)
    if (!s) throw new Error(`unknown metric ${name}`)
    return s
  }

  /** The Prometheus text exposition. */
  render(): string {
    const out: string[] = []
    for (const [name, s] of this.#series) {
      out.push(`# HELP ${name} ${s.help}`, `# TYPE ${name} ${s.type}`)
      for (const [key, v] of s.values) {
        if (s.type !== 'histogram') out.push(`${name}${key} ${v}`)
        else if (key.startsWith('sum')) out.push(`${name}_sum${key.slice(3)} ${v}`)
        else if (key.startsWith('count')) out.push(`${name}_count${key.slice(5)} ${v}`)
        else out.push(`${name}_bucket${key} ${v}`)
      }
    }
    return out.join('\n') + '\n'
  }
}

function labelKey(labels: Labels): string {
  const keys = Object.keys(labels)
  if (keys.length === 0) return ''
  return `{${keys.map((k) => `${k}="${labels[k]!.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`).join(',')}}`
}
