// The producer's API, always on the page's own origin: CloudFront routes
// /api/* to the load balancer, so there is no API URL to configure and no
// cross-origin request for a browser to block.

export class ApiError extends Error {
  // kind is "down" (no answer, or the service says it is unavailable) or
  // "bad-response" (an answer this page cannot read).
  constructor(kind, message) {
    super(message)
    this.kind = kind
  }
}

async function call(path, init) {
  let res
  try {
    res = await fetch('/api' + path, { ...init, headers: { Accept: 'application/json', ...init?.headers } })
  } catch (e) {
    throw new ApiError('down', `The API did not answer (${e.message}).`)
  }
  const text = await res.text()
  let body
  try {
    body = JSON.parse(text)
  } catch {
    body = undefined
  }
  if (res.status >= 500) {
    const why = body && typeof body.error === 'string' ? body.error : body && body.message
    throw new ApiError('down', `The API is unavailable (HTTP ${res.status}${why ? ': ' + why : ''}).`)
  }
  if (body === undefined || body === null || typeof body !== 'object') {
    throw new ApiError('bad-response', `The API answered HTTP ${res.status} with something that is not JSON.`)
  }
  if (!res.ok) {
    throw new ApiError('bad-response', `The API refused the request (HTTP ${res.status}: ${body.error ?? 'no reason given'}).`)
  }
  return body
}

function need(body, fields, what) {
  for (const [name, type] of fields) {
    if (typeof body[name] !== type) {
      throw new ApiError('bad-response', `The API's ${what} answer has no ${type} "${name}".`)
    }
  }
  return body
}

// getCount reads the rows the consumer wrote: {rows_count, latest_value, hostname}.
export async function getCount() {
  const body = await call('/count')
  return need(body, [['rows_count', 'number'], ['latest_value', 'number']], 'count')
}

// getHealth tells which task served the request: {status, message, hostname}.
export async function getHealth() {
  const body = await call('/health')
  return need(body, [['status', 'string'], ['hostname', 'string']], 'health')
}

// postCount queues one count. The Idempotency-Key makes a retry of the same
// click count once.
export async function postCount(count, key) {
  const body = await call('/count', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key },
    body: JSON.stringify({ count }),
  })
  return need(body, [['message', 'string']], 'queue')
}
