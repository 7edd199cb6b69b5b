// Runs the packed app's pool worker (dist/main/pool-worker.js) in plain Node, as the Electron main
// process runs it, and answers the requests given on the command line. Plain JavaScript on purpose:
// nothing of the source tree (no tsx, no TypeScript) is involved in loading the packed code.
//   node packed-core-runner.mjs <pool-worker.js> <resourcesPath|-> '<JSON array of requests>'
// With a resourcesPath the worker sees process.resourcesPath set, as Electron sets it.
// Prints one JSON array of the worker's answers.
import { Worker } from 'node:worker_threads';

const [workerFile, resourcesPath, requestsJson] = process.argv.slice(2);
if (!workerFile || !resourcesPath || !requestsJson) {
  console.error('usage: packed-core-runner.mjs <pool-worker.js> <resourcesPath|-> <requests JSON>');
  process.exit(2);
}
const requests = JSON.parse(requestsJson);
const setup = `process.resourcesPath = ${JSON.stringify(resourcesPath)};`;
const execArgv =
  resourcesPath === '-' ? [] : ['--import', `data:text/javascript,${encodeURIComponent(setup)}`];
const worker = new Worker(workerFile, { execArgv });

const answers = [];
function ask(req) {
  return new Promise((resolve, reject) => {
    const onMessage = (msg) => {
      if (msg.id !== req.id) return;
      worker.off('message', onMessage);
      resolve(msg);
    };
    worker.on('message', onMessage);
    worker.once('error', reject);
    worker.postMessage(req);
  });
}
try {
  for (const req of requests) answers.push(await ask(req));
  process.stdout.write(JSON.stringify(answers));
} finally {
  await worker.terminate();
}
