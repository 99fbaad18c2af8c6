/**
 * A local HTTP(S) server for the http.send tests. It runs in a worker thread: http.send blocks the
 * main thread while it waits, so a server on the main thread's event loop could never answer.
 */
import { Worker } from 'node:worker_threads'
import { once } from 'node:events'

const SOURCE = String.raw`
'use strict'
const { parentPort, workerData } = require('node:worker_threads')
const http = require('node:http')
const https = require('node:https')
let count = 0
function handler(req, res) {
  const chunks = []
  req.on('data', (c) => chunks.push(c))
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8')
    const url = new URL(req.url, 'http://x')
    switch (url.pathname) {
      case '/json':
        res.setHeader('Content-Type', 'application/json; charset=utf-8')
        res.setHeader('X-Multi', ['a', 'b'])
        res.end(JSON.stringify({ hello: 'world', n: 1 }))
        return
      case '/yaml':
        res.setHeader('Content-Type', 'application/yaml')
        res.end('a: 1\nb: [x, y]\n')
        return
      case '/text':
        res.end('{"not": "decoded"}')
        return
      case '/echo':
        res.setHeader('Content-Type', 'application/json')
        res.end(JSON.stringify({ method: req.method, headers: req.headers, body }))
        return
      case '/etag':
        count++
        res.setHeader('ETag', '"v1"')
        res.setHeader('Cache-Control', 'max-age=0')
        res.setHeader('Content-Type', 'application/json')
        if (req.headers['if-none-match'] === '"v1"') {
          res.statusCode = 304
          res.setHeader('X-Revalidated', String(count))
          res.end()
          return
        }
        res.end(JSON.stringify({ count }))
        return
      case '/future-date':
        count++
        res.setHeader('Date', new Date(Date.now() + 3600e3).toUTCString())
        res.setHeader('Cache-Control', 'max-age=60')
        res.setHeader('Content-Type', 'application/json')
        res.end(JSON.stringify({ count }))
        return
      case '/teapot':
        count++
        res.statusCode = 418
        res.end(String(count))
        return
      case '/count':
        count++
        res.setHeader('Content-Type', 'application/json')
        res.setHeader('Cache-Control', url.searchParams.get('cc') || 'max-age=60')
        res.end(JSON.stringify({ count }))
        return
      case '/slow':
        setTimeout(() => res.end('late'), 1500)
        return
      case '/redirect':
        res.statusCode = 302
        res.setHeader('Location', '/json')
        res.end()
        return
      case '/missing':
        res.statusCode = 404
        res.end('nope')
        return
      default:
        res.statusCode = 500
        res.end()
    }
  })
}
const servers = [http.createServer(handler)]
if (workerData.tls) servers.push(https.createServer(workerData.tls, handler))
if (workerData.socket) servers.push(http.createServer(handler))
let pending = servers.length
const ports = []
servers.forEach((s, i) => {
  const ready = () => {
    ports[i] = typeof s.address() === 'string' ? 0 : s.address().port
    if (--pending === 0) parentPort.postMessage(ports)
  }
  if (workerData.socket && i === servers.length - 1) s.listen(workerData.socket, ready)
  else s.listen(0, '127.0.0.1', ready)
})
parentPort.on('message', (m) => { if (m === 'close') { servers.forEach((s) => s.close()); parentPort.close() } })
`

export interface TestServer {
  readonly url: string
  readonly httpsUrl: string | undefined
  close(): Promise<void>
}

export async function startTestServer(tls?: { key: string; cert: string }, socket?: string): Promise<TestServer> {
  const w = new Worker(SOURCE, { eval: true, workerData: { tls, socket }, execArgv: [] })
  const [ports] = (await once(w, 'message')) as [number[]]
  return {
    url: `http://127.0.0.1:${ports[0]}`,
    httpsUrl: ports[1] === undefined ? undefined : `https://127.0.0.1:${ports[1]}`,
    async close() {
      await w.terminate()
    },
  }
}
