import { useCallback, useEffect, useRef, useState } from 'react'
import { getCount, getHealth, postCount } from './api.js'

// How long the page waits for the consumer to write a queued count before
// it says the count is still on its way.
const settleMillis = 15000
const pollMillis = 500

function newKey() {
  return crypto.randomUUID()
}

export default function App() {
  const [counts, setCounts] = useState(null)
  const [health, setHealth] = useState(null)
  const [error, setError] = useState(null)
  const [notice, setNotice] = useState('')
  const [busy, setBusy] = useState(false)
  const alive = useRef(true)

  const refresh = useCallback(async () => {
    const [c, h] = await Promise.allSettled([getCount(), getHealth()])
    if (!alive.current) return null
    if (c.status === 'fulfilled') setCounts(c.value)
    if (h.status === 'fulfilled') setHealth(h.value)
    const failed = [c, h].find((r) => r.status === 'rejected')
    setError(failed ? failed.reason : null)
    return c.status === 'fulfilled' ? c.value : null
  }, [])

  useEffect(() => {
    alive.current = true
    refresh()
    return () => {
      alive.current = false
    }
  }, [refresh])

  async function addCount() {
    setBusy(true)
    setNotice('')
    const before = counts ? counts.rows_count : null
    const value = Math.floor(Date.now() / 1000)
    try {
      await postCount(value, newKey())
      setError(null)
      setNotice(`Queued ${value}; waiting for the consumer to write it.`)
      // The consumer writes asynchronously: poll until the row shows.
      const deadline = Date.now() + settleMillis
      while (alive.current && Date.now() < deadline) {
        const now = await refresh()
        if (now && (before === null || now.rows_count > before)) {
          setNotice(`Added ${value}.`)
          return
        }
        await new Promise((r) => setTimeout(r, pollMillis))
      }
      if (alive.current) setNotice(`Queued ${value}; the consumer has not written it yet.`)
    } catch (e) {
      if (alive.current) setError(e)
    } finally {
      if (alive.current) setBusy(false)
    }
  }

  return (
    <main className="page">
      <h1>Push platform counts</h1>
      {error && (
        <p role="alert" className={'error error-' + (error.kind ?? 'unknown')} data-testid="error">
          {error.kind === 'down' ? 'API down: ' : 'Bad response: '}
          {error.message}
        </p>
      )}
      <dl className="counts">
        <dt>Rows</dt>
        <dd data-testid="rows">{counts ? counts.rows_count : '…'}</dd>
        <dt>Latest value</dt>
        <dd data-testid="latest">{counts ? counts.latest_value : '…'}</dd>
        <dt>Served by</dt>
        <dd data-testid="host">{health ? health.hostname : '…'}</dd>
      </dl>
      <button type="button" onClick={addCount} disabled={busy} data-testid="add">
        {busy ? 'Adding…' : 'Add the current time'}
      </button>
      <button type="button" className="secondary" onClick={refresh} disabled={busy}>
        Refresh
      </button>
      <p className="notice" data-testid="notice" aria-live="polite">
        {notice}
      </p>
    </main>
  )
}
