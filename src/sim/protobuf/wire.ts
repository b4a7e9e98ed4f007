/**
 * The protobuf wire format, read only: tags, varints and length-delimited fields, with the error texts of
 * the gogo-generated Unmarshal code the apiserver runs (clients see them inside its BadRequest messages).
 * Reading never recurses on its own and never reads past the buffer, so a hostile body can only fail.
 */

export class ProtoDecodeError extends Error {}

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_BYTES = 2;
export const WIRE_FIXED32 = 5;

const unexpectedEof = (): ProtoDecodeError => new ProtoDecodeError('unexpected EOF');

export class ProtoReader {
  private pos = 0;

  constructor(private readonly buf: Uint8Array) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  /** A varint as an unsigned 64-bit BigInt (callers narrow it to int32/int64/bool). */
  varint(): bigint {
    let result = 0n;
    for (let shift = 0n; ; shift += 7n) {
      if (shift >= 64n) throw new ProtoDecodeError('proto: integer overflow');
      if (this.pos >= this.buf.length) throw unexpectedEof();
      const b = this.buf[this.pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return BigInt.asUintN(64, result);
    }
  }

  /** The next field's number and wire type; `message` names the message in errors. */
  tag(message: string): { field: number; wire: number } {
    const key = this.varint();
    const field = Number(key >> 3n);
    const wire = Number(key & 7n);
    if (wire === 4) throw new ProtoDecodeError(`proto: ${message}: wiretype end group for non-group`);
    if (field <= 0 || key >> 3n > 0x7fffffffn) {
      throw new ProtoDecodeError(`proto: ${message}: illegal tag ${field} (wire type ${wire})`);
    }
    return { field, wire };
  }

  /** A length-delimited field's bytes (a view, not a copy). */
  bytes(): Uint8Array {
    const len = this.varint();
    if (BigInt.asIntN(64, len) < 0n)
      throw new ProtoDecodeError('proto: negative length found during unmarshaling');
    const end = this.pos + Number(len);
    if (end > this.buf.length) throw unexpectedEof();
    const out = this.buf.subarray(this.pos, end);
    this.pos = end;
    return out;
  }

  /** Skips a field of an unknown number, as generated code does for fields from newer schemas. */
  skip(wire: number): void {
    switch (wire) {
      case WIRE_VARINT:
        this.varint();
        return;
      case WIRE_FIXED64:
        this.advance(8);
        return;
      case WIRE_BYTES:
        this.bytes();
        return;
      case WIRE_FIXED32:
        this.advance(4);
        return;
      default:
        // Groups (3/4) are proto2 relics that no Kubernetes message uses.
        throw new ProtoDecodeError(`proto: illegal wireType ${wire}`);
    }
  }

  private advance(n: number): void {
    if (this.pos + n > this.buf.length) throw unexpectedEof();
    this.pos += n;
  }
}
