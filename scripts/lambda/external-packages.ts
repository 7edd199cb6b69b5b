// Packages every bundle of ours (the Lambda's, the bench's children) loads at run time from node_modules:
// native addons, or files they read relative to themselves (tesseract.js's worker script and language data).
export const EXTERNAL_PACKAGES = [
  'onnxruntime-node',
  'sharp',
  'pdfjs-dist',
  '@napi-rs/canvas',
  'tesseract.js',
  '@tesseract.js-data/eng',
];
