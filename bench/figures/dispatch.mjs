// Dispatch of the bulk's recipients to the simulator in its own process, until every message is COMPLETED
// (its delivery report polled back). messages/s counts from the bulk's 202 to the last COMPLETED; end-to-end
// from the first byte of the upload. The simulator's counters show each message reached the vendor once.
import { NoProgressSource, waitUntilFinal } from '../completion.mjs';

export async function dispatchFigures({ client, project, loaded, simulator, databaseUrl }) {
  let done;
  try {
    done = await waitUntilFinal({
      client,
      key: project.key,
      requestIds: loaded.requestIds,
      total: loaded.recipients,
      simulator,
      databaseUrl,
    });
  } catch (error) {
    if (!(error instanceof NoProgressSource)) throw error;
    return [
      { figure: 'dispatch', skipped: error.message },
      { figure: 'end_to_end', skipped: error.message },
    ];
  }
  const seconds = (from, to) => Number(((to - from) / 1000).toFixed(2));
  const vendorMessages = done.counters.sens.messages + done.counters.omni.messages;
  const duplicates = done.counters.sens.duplicateRecipients + done.counters.omni.duplicateRecipients;
  return [
    {
      figure: 'dispatch',
      value: loaded.recipients / ((done.completedAt - loaded.acceptedAt) / 1000),
      unit: 'messages/s',
      target: 10000,
      messages: loaded.recipients,
      loadedBy: loaded.by,
      acceptedToAllSentSeconds: seconds(loaded.acceptedAt, done.allSentAt),
      acceptedToAllCompletedSeconds: seconds(loaded.acceptedAt, done.completedAt),
      firstVendorMessageAfterStartSeconds:
        done.firstVendorAt === undefined ? null : seconds(loaded.started, done.firstVendorAt),
      vendorMessages,
      duplicateRecipients: duplicates,
      exactlyOnce: vendorMessages === loaded.recipients && duplicates === 0,
      completionReadFrom: done.via,
    },
    {
      figure: 'end_to_end',
      value: (done.completedAt - loaded.started) / 1000,
      unit: 's',
      messages: loaded.recipients,
      from: 'first byte of the upload',
      to: 'last message COMPLETED',
    },
  ];
}
