// Photos and documents in sent messages: an uploaded part is stored as a new file, a string must be
// a known file_id; photos must really be images (Telegram answers IMAGE_PROCESS_FAILED otherwise).
import {
  badRequest,
  type DocumentRef,
  type FakeMessage,
  type Params,
  type StoredFile,
  type Upload,
} from './types.ts';
import type { World } from './world.ts';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const MIME_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  json: 'application/json',
  txt: 'text/plain',
};

export function photoFrom(world: World, p: Params, uploads: Record<string, Upload>): Partial<FakeMessage> {
  const file = fileFrom(world, p.photo, uploads.photo, 'photos');
  const size = imageSize(file.bytes);
  if (!size) throw badRequest('IMAGE_PROCESS_FAILED');
  return {
    photo: [
      { file_id: file.fileId, file_unique_id: file.fileUniqueId, file_size: file.bytes.length, ...size },
    ],
  };
}

export function documentFrom(world: World, p: Params, uploads: Record<string, Upload>): Partial<FakeMessage> {
  return { document: documentRef(fileFrom(world, p.document, uploads.document, 'documents')) };
}

export function documentRef(file: StoredFile): DocumentRef {
  return {
    file_id: file.fileId,
    file_unique_id: file.fileUniqueId,
    file_size: file.bytes.length,
    ...(file.fileName ? { file_name: file.fileName } : {}),
    ...(file.mimeType ? { mime_type: file.mimeType } : {}),
  };
}

export function mimeTypeOf(fileName: string): string {
  return MIME_TYPES[fileName.split('.').pop()?.toLowerCase() ?? ''] ?? 'application/octet-stream';
}

function fileFrom(
  world: World,
  value: unknown,
  upload: Upload | undefined,
  kind: 'photos' | 'documents',
): StoredFile {
  if (upload) {
    if (upload.bytes.length === 0) throw badRequest('file must be non-empty');
    return world.storeFile(upload.bytes, kind, upload.fileName, mimeTypeOf(upload.fileName));
  }
  const known = typeof value === 'string' ? world.fileById(value) : undefined;
  if (!known) throw badRequest('wrong file identifier/HTTP URL specified');
  return known;
}

function imageSize(bytes: Buffer): { width: number; height: number } | undefined {
  if (bytes.length >= 24 && bytes.subarray(0, 8).equals(PNG_SIGNATURE)) {
    return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  }
  const jpeg = bytes[0] === 0xff && bytes[1] === 0xd8;
  const webp = bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP';
  return jpeg || webp ? { width: 0, height: 0 } : undefined;
}
