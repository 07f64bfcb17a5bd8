/**
 * A strict check that bytes are an Ogg/Opus file as Telegram voice notes are: every page starts with
 * the OggS capture pattern and fits, the first page is a beginning-of-stream page holding OpusHead,
 * the second packet is OpusTags, and the last page ends the stream. Used by the stand-ins (test code).
 */

/** Why the bytes are not a valid Ogg/Opus file, or undefined when they are. */
export function oggOpusProblem(bytes: Uint8Array, maxBytes = 20 * 1024 * 1024): string | undefined {
  if (bytes.length < 64) return `too small for an Ogg/Opus file (${bytes.length} bytes)`;
  if (bytes.length > maxBytes) return `too large (${bytes.length} bytes)`;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ascii = (from: number, length: number) => String.fromCharCode(...bytes.subarray(from, from + length));
  let offset = 0;
  let page = 0;
  let lastFlags = 0;
  let serial: number | undefined;
  while (offset < bytes.length) {
    if (offset + 27 > bytes.length) return `truncated page header at byte ${offset}`;
    if (ascii(offset, 4) !== "OggS") return `no OggS capture pattern at byte ${offset}`;
    if (bytes[offset + 4] !== 0) return `unknown Ogg version at byte ${offset}`;
    const flags = bytes[offset + 5] ?? 0;
    const pageSerial = view.getUint32(offset + 14, true);
    serial ??= pageSerial;
    if (pageSerial !== serial) return "more than one logical stream (a voice note has one)";
    const segments = bytes[offset + 26] ?? 0;
    if (offset + 27 + segments > bytes.length) return `truncated segment table at byte ${offset}`;
    let bodyLength = 0;
    for (let i = 0; i < segments; i++) bodyLength += bytes[offset + 27 + i] ?? 0;
    const body = offset + 27 + segments;
    if (body + bodyLength > bytes.length) return `page ${page} runs past the end of the file`;
    if (page === 0) {
      if ((flags & 0x02) === 0) return "the first page is not marked beginning-of-stream";
      if (ascii(body, 8) !== "OpusHead") return "the first page does not hold OpusHead (not Opus)";
      if ((bytes[body + 8] ?? 0) >> 4 !== 0) return "unsupported OpusHead version";
      const channels = bytes[body + 9] ?? 0;
      if (channels < 1 || channels > 2) return `unexpected channel count ${channels}`;
    }
    if (page === 1 && ascii(body, 8) !== "OpusTags") return "the second page does not hold OpusTags";
    lastFlags = flags;
    offset = body + bodyLength;
    page++;
  }
  if (page < 3) return "no audio pages after the Opus headers";
  if ((lastFlags & 0x04) === 0) return "the last page is not marked end-of-stream";
  return undefined;
}
