// Calls to the service over HTTP, and the project every figure works in: an API key and an approved calling
// number, made the way a customer and an operator make them.
import { undici } from './workspace.mjs';
import { CALLING_NUMBER } from './simulator-process.mjs';

export class HttpError extends Error {
  constructor(method, path, statusCode, text) {
    super(`${method} ${path}: ${statusCode} ${text.slice(0, 500)}`);
    this.statusCode = statusCode;
  }
}

export function serviceClient(baseUrl) {
  const dispatcher = new undici.Agent({ connections: 8 });
  const call = async (method, path, key, body, headers = {}) => {
    // plain objects and arrays go as JSON; strings, buffers and FormData as they are
    const json =
      body !== undefined && (Array.isArray(body) || Object.getPrototypeOf(body) === Object.prototype);
    const response = await undici.request(baseUrl + path, {
      method,
      dispatcher,
      headers: {
        authorization: `Bearer ${key}`,
        ...(json ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: json ? JSON.stringify(body) : body,
    });
    const text = await response.body.text();
    if (response.statusCode >= 300) throw new HttpError(method, path, response.statusCode, text);
    return text ? JSON.parse(text) : undefined;
  };
  return { baseUrl, call, close: () => dispatcher.close() };
}

export async function benchProject(client, operatorKey) {
  const { call } = client;
  const project = await call('POST', '/v1/projects', operatorKey, { name: 'bench' });
  const key = (await call('POST', `/v1/projects/${project.id}/keys`, operatorKey, { name: 'bench' })).key;
  const number = await call('POST', '/v1/calling-numbers', key, {
    number: CALLING_NUMBER,
    method: 'DOCUMENT',
  });
  await call('POST', `/v1/projects/${project.id}/calling-numbers/${number.id}/approve`, operatorKey, {});
  return { projectId: project.id, key, from: CALLING_NUMBER };
}

/** Distinct Korean mobile numbers, so the simulator's per-recipient counters can show duplicates. */
export const recipient = (series, i) => `010${series}${String(i).padStart(7, '0')}`;
