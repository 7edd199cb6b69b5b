// Settings shape shared by main and renderer. The zod schema is the single source: the JSON schema
// that electron-store / conf validate the file against is derived from it.
import { z } from 'zod';
import { DEFAULT_CONF, TEXT_MODES } from './result.js';

export const CloudSettingsSchema = z
  .object({
    /** Function URL or API Gateway stage URL; https only, http only for loopback (checked on use). */
    endpoint: z.string().max(2000),
    mode: z.enum(['function-url', 'api-gateway', 'invoke']),
    auth: z.enum(['none', 'aws-iam', 'api-key']),
    region: z.string().max(64),
    functionName: z.string().max(256),
    awsProfile: z.string().max(256),
    /** Seconds allowed per attempt, and retries of a page (throttling, 5xx, network, time-out); optional so
     *  settings saved before they existed still load (the client's defaults apply: 30 s, 3). */
    timeoutS: z.number().min(1).max(900).optional(),
    retries: z.number().int().min(0).max(20).optional(),
    /** The deployed function's reserved concurrency (written by `npm run deploy -- --write-settings`): a
     *  cloud batch keeps at most 16 requests in flight, and never more than this. Absent: no cap but 16. */
    reservedConcurrency: z.number().int().min(1).max(1000).optional(),
  })
  .strict();

export const RecentEntrySchema = z
  .object({ path: z.string(), name: z.string(), openedAt: z.number() })
  .strict();

export const SettingsSchema = z
  .object({
    engine: z.enum(['local', 'cloud']),
    cloud: CloudSettingsSchema,
    defaultConf: z.number().min(0.05).max(1),
    /** The user's own ONNX model; null means the bundled one. */
    modelPath: z.string().max(4096).nullable(),
    pdfDpi: z.number().int().min(50).max(600),
    theme: z.enum(['light', 'dark', 'system']),
    recent: z.array(RecentEntrySchema).max(20),
    /** A quiet update check at start (desktop app); Help > Check for Updates works either way. */
    checkForUpdates: z.boolean(),
    /** How local detection reads each box's label and question (docs/labels.md). */
    text: z.enum(TEXT_MODES),
    /** OCR language(s) for text `auto` and `ocr`, as Tesseract names them: eng, or eng+deu. */
    ocrLang: z.string().regex(/^[a-z_]{3,16}(\+[a-z_]{3,16})*$/i, 'an OCR language is like eng or eng+deu'),
  })
  .strict();

export type Settings = z.infer<typeof SettingsSchema>;
export type CloudSettings = z.infer<typeof CloudSettingsSchema>;
export type RecentEntry = z.infer<typeof RecentEntrySchema>;

/** What the renderer may change; the model path goes through chooseModel (it is validated by loading). */
export const SettingsPatchSchema = z
  .object({
    engine: SettingsSchema.shape.engine.optional(),
    /** reservedConcurrency null removes it (no cap but 16). */
    cloud: CloudSettingsSchema.partial()
      .extend({
        reservedConcurrency: CloudSettingsSchema.shape.reservedConcurrency.unwrap().nullable().optional(),
      })
      .optional(),
    defaultConf: SettingsSchema.shape.defaultConf.optional(),
    pdfDpi: SettingsSchema.shape.pdfDpi.optional(),
    theme: SettingsSchema.shape.theme.optional(),
    checkForUpdates: SettingsSchema.shape.checkForUpdates.optional(),
    text: SettingsSchema.shape.text.optional(),
    ocrLang: SettingsSchema.shape.ocrLang.optional(),
  })
  .strict();
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

export const SECRET_NAMES = ['cloudApiKey'] as const;
export const SecretNameSchema = z.enum(SECRET_NAMES);
export type SecretName = z.infer<typeof SecretNameSchema>;

/** Settings as the renderer sees them: secrets only as "is set" flags, never their values. */
export interface SettingsView extends Settings {
  secrets: Record<SecretName, boolean>;
}

export const DEFAULT_SETTINGS: Settings = {
  engine: 'local',
  cloud: {
    endpoint: '',
    mode: 'function-url',
    auth: 'none',
    region: 'us-east-1',
    functionName: '',
    awsProfile: '',
  },
  defaultConf: DEFAULT_CONF,
  modelPath: null,
  pdfDpi: 200,
  theme: 'system',
  recent: [],
  checkForUpdates: true,
  // The text layer of a PDF costs next to nothing; OCR of a scan costs more than detecting it (docs/labels.md),
  // so it waits until a person asks for it.
  text: 'pdf',
  ocrLang: 'eng',
};
