// A page in grey (luma of its RGB): what finding text and OCR work on.
export interface GreyImage {
  data: Uint8Array;
  width: number;
  height: number;
}

export function greyImage(rgb: Uint8Array, width: number, height: number): GreyImage {
  const data = new Uint8Array(width * height);
  for (let i = 0, j = 0; i < data.length; i++, j += 3)
    data[i] = (rgb[j]! * 77 + rgb[j + 1]! * 150 + rgb[j + 2]! * 29) >> 8;
  return { data, width, height };
}
