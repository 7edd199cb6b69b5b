// Paths the tests share, relative to this file so no test assumes where the repository lives.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const FIXTURES = path.join(REPO, 'tests/fixtures');
export const MODEL_PATH = process.env.CHECKBOX_MODEL ?? path.join(REPO, 'models/checkbox-detector.onnx');
export const fixture = (name: string): string => path.join(FIXTURES, name);
