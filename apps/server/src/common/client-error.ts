import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { ErrorBody } from './api-error';

/** Errors Node's HTTP parser raises before Fastify sees a request, answered in the one error shape. */
function clientErrorBody(error: NodeJS.ErrnoException): ErrorBody {
  if (error.code === 'HPE_HEADER_OVERFLOW') {
    return {
      statusCode: 431,
      code: 'HEADERS_TOO_LARGE',
      message: 'The request headers are larger than the server accepts (16 KB in all)',
    };
  }
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return { statusCode: 408, code: 'REQUEST_TIMEOUT', message: 'The request was not received in time' };
  }
  return { statusCode: 400, code: 'BAD_REQUEST', message: 'The request is not valid HTTP/1.1' };
}

/** Fastify's `clientErrorHandler`: its default body lacks the error shape's `code`. */
export function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  // A reset connection is gone: nothing to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable) {
    const body = clientErrorBody(error);
    const text = JSON.stringify(body);
    socket.write(
      `HTTP/1.1 ${body.statusCode} ${STATUS_CODES[body.statusCode]}\r\nConnection: close\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
    );
  }
  socket.destroy(error);
}
