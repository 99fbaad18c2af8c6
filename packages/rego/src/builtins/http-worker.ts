/**
 * Synchronous network I/O for built-ins. Rego evaluation is synchronous, so `http.send` and
 * `net.lookup_ip_addr` hand their request to one long-lived worker thread and block on a
 * SharedArrayBuffer with `Atomics.wait` (no busy-waiting) until the worker has posted the answer;
 * `receiveMessageOnPort` then takes the answer off the port synchronously.
 *
 * The worker is plain JavaScript evaluated from a string, so it runs the same from sources (tsx)
 * and from the compiled package. It is `unref`ed: an idle worker never keeps the process alive.
 */
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads'

/** An HTTP request as the worker performs it. */
export interface HttpTask {
  readonly kind: 'http'
  /** Upper-case HTTP method. */
  readonly method: string
  readonly url: string
  /** Request headers as given by the policy. */
  readonly headers: Record<string, string>
  /** The encoded body, if any. */
  readonly body?: Uint8Array
  /** Whole-request deadline, redirects included. */
  readonly timeoutMs: number
  /** Follow up to 10 redirects (Go's client policy); otherwise the 3xx is the answer. */
  readonly followRedirects: boolean
  /** TLS settings for https URLs. */
  readonly tls: {
    /** Trusted CAs (PEM); the system store when absent. */
    readonly ca?: string[]
    /** Client certificate and key (PEM). */
    readonly cert?: string
    readonly key?: string
    /** False for `tls_insecure_skip_verify`. */
    readonly rejectUnauthorized: boolean
    /** SNI and verification name (`tls_server_name`). */
    readonly servername?: string
  }
}

export interface DnsTask {
  readonly kind: 'dns'
  /** Host name to resolve (A and AAAA). */
  readonly name: string
  readonly timeoutMs: number
}

export interface HttpAnswer {
  /** Status code and reason phrase as the server sent them. */
  readonly status: number
  readonly statusText: string
  /** Node's rawHeaders: name, value, name, value, … */
  readonly rawHeaders: string[]
  /** The whole response body. */
  readonly body: Uint8Array
}

export interface DnsAnswer {
  /** Every address the name resolves to, v4 and v6. */
  readonly addrs: string[]
}

/** A failure in the worker: `code` is Node's error code (ECONNREFUSED, ENOTFOUND, …) or TIMEOUT. */
export interface TaskFailure {
  /** Node's error message and code, and the peer it concerned when known. */
  readonly error: { readonly message: string; readonly code?: string; readonly host?: string; readonly port?: number }
}

const WORKER_SOURCE = String.raw`
'use strict'
const { parentPort } = require('node:worker_threads')
const http = require('node:http')
const https = require('node:https')
const dns = require('node:dns')

parentPort.on('message', ({ task, port, flag }) => {
  const finish = (answer) => {
    try { port.postMessage(answer) } catch (e) { port.postMessage({ error: { message: String(e && e.message) } }) }
    port.close()
    const f = new Int32Array(flag)
    Atomics.store(f, 0, 1)
    Atomics.notify(f, 0)
  }
  const fail = (e) => finish({ error: { message: String((e && e.message) || e), code: e && e.code, host: e && (e.hostname || e.address), port: e && e.port } })
  let run
  if (task.kind === 'dns') run = lookup(task)
  else run = request(task, task.url, task.method, task.body, 0, Date.now() + task.timeoutMs)
  run.then(finish, fail)
})

function lookup(task) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(Object.assign(new Error('lookup timed out'), { code: 'TIMEOUT' })), task.timeoutMs)
    dns.lookup(task.name, { all: true }, (err, addrs) => {
      clearTimeout(timer)
      if (err) reject(err)
      else resolve({ addrs: addrs.map((a) => a.address) })
    })
  })
}

function request(task, url, method, body, redirects, deadline) {
  return new Promise((resolve, reject) => {
    let u
    try { u = new URL(url) } catch (e) { reject(Object.assign(new Error('invalid URL'), { code: 'EINVALIDURL' })); return }
    // unix://localhost/path?socket=/run/x.sock: HTTP over a Unix domain socket.
    let socketPath
    if (u.protocol === 'unix:') {
      socketPath = u.searchParams.get('socket') || ''
      u = new URL('http://' + (u.host || 'localhost') + u.pathname)
    }
    const secure = u.protocol === 'https:'
    if (!secure && u.protocol !== 'http:') {
      reject(Object.assign(new Error('unsupported protocol scheme "' + u.protocol.slice(0, -1) + '"'), { code: 'EPROTO_SCHEME' }))
      return
    }
    const opts = { method, headers: task.headers }
    if (socketPath) opts.socketPath = socketPath
    if (secure) {
      if (task.tls.ca) opts.ca = task.tls.ca
      if (task.tls.cert) opts.cert = task.tls.cert
      if (task.tls.key) opts.key = task.tls.key
      opts.rejectUnauthorized = task.tls.rejectUnauthorized
      if (task.tls.servername) opts.servername = task.tls.servername
    }
    const remaining = deadline - Date.now()
    if (remaining <= 0) { reject(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })); return }
    let settled = false
    const done = (f, v) => { if (!settled) { settled = true; clearTimeout(timer); f(v) } }
    const req = (secure ? https : http).request(u, opts, (res) => {
      const status = res.statusCode
      if (task.followRedirects && [301, 302, 303, 307, 308].includes(status) && res.headers.location) {
        res.resume()
        if (redirects >= 10) { done(reject, Object.assign(new Error('stopped after 10 redirects'), { code: 'EREDIRECTS' })); return }
        const next = new URL(res.headers.location, u).toString()
        const keep = status === 307 || status === 308
        const m = keep || method === 'HEAD' ? method : 'GET'
        clearTimeout(timer)
        settled = true
        request(task, next, m, keep ? body : undefined, redirects + 1, deadline).then(resolve, reject)
        return
      }
      const chunks = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => {
        const buf = Buffer.concat(chunks)
        done(resolve, { status, statusText: res.statusMessage || '', rawHeaders: res.rawHeaders, body: new Uint8Array(buf.buffer, buf.byteOffset, buf.length) })
      })
      res.on('error', (e) => done(reject, e))
    })
    const timer = setTimeout(() => {
      req.destroy()
      done(reject, Object.assign(new Error('timeout'), { code: 'TIMEOUT' }))
    }, remaining)
    req.on('error', (e) => done(reject, e))
    req.end(body ? Buffer.from(body) : undefined)
  })
}
`

let worker: Worker | undefined

function getWorker(): Worker {
  if (worker === undefined) {
    const w = new Worker(WORKER_SOURCE, { eval: true, execArgv: [] })
    w.unref()
    w.on('error', () => {
      if (worker === w) worker = undefined
    })
    w.on('exit', () => {
      if (worker === w) worker = undefined
    })
    worker = w
  }
  return worker
}

/**
 * Runs a task on the worker and blocks until it answers or `waitMs` passes (then the answer is a
 * TIMEOUT failure). The worker enforces the task's own timeout; `waitMs` is a safety margin.
 */
export function runBlocking(task: HttpTask, waitMs: number): HttpAnswer | TaskFailure
export function runBlocking(task: DnsTask, waitMs: number): DnsAnswer | TaskFailure
export function runBlocking(task: HttpTask | DnsTask, waitMs: number): HttpAnswer | DnsAnswer | TaskFailure {
  const flag = new SharedArrayBuffer(4)
  const signal = new Int32Array(flag)
  const { port1, port2 } = new MessageChannel()
  try {
    getWorker().postMessage({ task, port: port2, flag }, [port2])
    Atomics.wait(signal, 0, 0, waitMs)
    const msg = receiveMessageOnPort(port1)
    if (msg === undefined) return { error: { message: 'timeout', code: 'TIMEOUT' } }
    return msg.message as HttpAnswer | DnsAnswer | TaskFailure
  } finally {
    port1.close()
  }
}

/** Stops the worker (tests; a fresh one starts on the next request). */
export async function stopNetworkWorker(): Promise<void> {
  const w = worker
  worker = undefined
  if (w !== undefined) await w.terminate()
}
