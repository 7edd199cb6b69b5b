// The file formats every front door accepts, listed once: folder walking, the open dialogs, the
// Lambda's raw-body media types, the OpenAPI document and the cloud client's uploads read this.

/** Formats the decoder reads, by what their bytes say (see `sniffImageType`). */
export const IMAGE_TYPES = ['png', 'jpeg', 'tiff', 'webp', 'bmp', 'pdf'] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];

export const MEDIA_TYPES: Readonly<Record<ImageType, string>> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  tiff: 'image/tiff',
  webp: 'image/webp',
  bmp: 'image/bmp',
  pdf: 'application/pdf',
};

/** Other names clients send for the same bytes; a raw body with one of these is still sniffed. */
export const MEDIA_TYPE_ALIASES = ['image/jpg', 'image/x-ms-bmp', 'application/octet-stream'] as const;

/** File name extensions picked up from folders and offered by open dialogs (files named
 *  explicitly are sniffed whatever their name). */
export const FILE_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.tif', '.tiff', '.webp', '.bmp', '.pdf'] as const;

export function hasImageExtension(name: string): boolean {
  const dot = name.lastIndexOf('.');
  const ext = dot > name.lastIndexOf('/') && dot > name.lastIndexOf('\\') ? name.slice(dot).toLowerCase() : '';
  return (FILE_EXTENSIONS as readonly string[]).includes(ext);
}
