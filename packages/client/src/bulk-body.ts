/** What a recipients CSV can be read from: text, a Blob/File, or any async iterable of bytes (a Node stream). */
export type RecipientsSource = string | Blob | AsyncIterable<Uint8Array>;

export interface UploadProgress {
  /** bytes of the multipart body handed to the connection so far */
  sentBytes: number;
  /** the whole body's size, when known (text and Blob sources, or `size` given for a stream) */
  totalBytes: number | undefined;
}

const encoder = new TextEncoder();

/** A multipart/form-data body: the `request` part (JSON), then the `recipients` file part. */
export interface BulkBody {
  contentType: string;
  /** a fresh body per attempt: a stream that reports progress, or a Blob */
  make(onProgress?: (progress: UploadProgress) => void): { body: BodyInit; streamed: boolean };
  /** false for a one-shot stream: it cannot be sent a second time */
  replayable: boolean;
  totalBytes: number | undefined;
}

function randomBoundary(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return `munja-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** Node (and Deno/Bun) send a ReadableStream request body; browsers mostly cannot (HTTP/1.1, Safari, Firefox). */
function canStreamRequests(): boolean {
  const versions = (globalThis as { process?: { versions?: { node?: string } } }).process?.versions;
  return typeof versions?.node === 'string';
}

export function bulkBody(
  request: unknown,
  recipients: RecipientsSource,
  options: { filename?: string; size?: number } = {},
): BulkBody {
  const boundary = randomBoundary();
  const filename = (options.filename ?? 'recipients.csv').replace(/["\r\n]/g, '_');
  const head = encoder.encode(
    // A plain text field: the service reads the JSON itself.
    `--${boundary}\r\nContent-Disposition: form-data; name="request"\r\n\r\n${JSON.stringify(request)}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="recipients"; filename="${filename}"\r\n` +
      `Content-Type: text/csv\r\n\r\n`,
  );
  const tail = encoder.encode(`\r\n--${boundary}--\r\n`);
  const file: Blob | AsyncIterable<Uint8Array> =
    typeof recipients === 'string' ? new Blob([recipients]) : recipients;
  const fileSize = file instanceof Blob ? file.size : options.size;
  const totalBytes = fileSize === undefined ? undefined : head.length + fileSize + tail.length;

  const make = (onProgress?: (progress: UploadProgress) => void) => {
    if (file instanceof Blob && !canStreamRequests()) {
      // A browser sends the Blob whole: progress is known at the start and at the end only.
      onProgress?.({ sentBytes: 0, totalBytes });
      return { body: new Blob([head, file, tail]), streamed: false };
    }
    const chunks: AsyncIterable<Uint8Array> = file instanceof Blob ? blobChunks(file) : file;
    return { body: countedStream([head], chunks, [tail], totalBytes, onProgress), streamed: true };
  };
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    make,
    replayable: file instanceof Blob,
    totalBytes,
  };
}

async function* blobChunks(blob: Blob): AsyncGenerator<Uint8Array> {
  const reader = blob.stream().getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

function countedStream(
  before: Uint8Array[],
  middle: AsyncIterable<Uint8Array>,
  after: Uint8Array[],
  totalBytes: number | undefined,
  onProgress?: (progress: UploadProgress) => void,
): ReadableStream<Uint8Array> {
  async function* all(): AsyncGenerator<Uint8Array> {
    yield* before;
    for await (const chunk of middle) {
      // Node streams give Buffers (Uint8Array subclasses); text chunks are encoded.
      yield typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
    }
    yield* after;
  }
  const source = all();
  let sentBytes = 0;
  onProgress?.({ sentBytes, totalBytes });
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await source.next();
      if (next.done) {
        controller.close();
        return;
      }
      controller.enqueue(next.value);
      sentBytes += next.value.length;
      onProgress?.({ sentBytes, totalBytes });
    },
    async cancel(reason) {
      await source.throw?.(reason).catch(() => undefined);
    },
  });
}
