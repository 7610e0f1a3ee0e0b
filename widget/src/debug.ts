/**
 * Debug output (`rapport-debug.<hash>.js`): the words for what the loader decided. The loader keeps
 * every decision as a short record and fetches this chunk only when `Rapport.debug` is (or becomes)
 * true or the page URL has `?rapport-debug`, so no page view pays for the sentences otherwise.
 */
import { REASONS } from './reasons';
import type { DebugLine, LoaderChunks } from './types';

const words = async ([, detail, url]: DebugLine): Promise<string> => {
  if (url === undefined)
    return typeof detail === 'string'
      ? `shown: ${detail}`
      : Array.isArray(detail)
        ? `waiting for ${detail.join(' | ')}`
        : detail
          ? `not shown: ${REASONS[Number(detail)]}`
          : // 0: an element (the page's own, or one `Rapport.open` made) may show it.
            'shown: <rapport-survey> (the page’s element or Rapport.open)';
  if (`${detail}` === 'Error: 404') return 'not shown: not active';
  // A page whose origin the survey does not list gets no CORS grant, and neither does a survey that
  // is not active (the API grants nothing for drafts, closed or unknown ids): the read fails like a
  // network error. An opaque request that does arrive tells these apart from an unreachable API.
  const reached = await fetch(`${url}widget`, { mode: 'no-cors', credentials: 'omit' }).then(
    () => true,
    () => false,
  );
  return `not shown: ${
    reached
      ? `origin not allowed or survey not active (allowedOrigins must list ${location.origin})`
      : 'API unreachable'
  }`;
};

let printed: Promise<unknown> = Promise.resolve();

(window.Rapport as LoaderChunks).__debug = (lines) => {
  // In order, though a line may wait for its probe.
  for (const line of lines)
    printed = printed.then(async () => console.info(`[rapport] ${line[0]}: ${await words(line)}`));
};
