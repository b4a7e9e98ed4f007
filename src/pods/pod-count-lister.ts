import type { JsonListHandlers } from '../clusters/json-list-splitter.js';
import { KubeApiError } from '../clusters/kube-api-error.js';
import { TABLE_ACCEPT } from '../clusters/kube-client.js';
import { type PagedListClient, streamPagedList } from '../clusters/paged-list.js';
import { readTableCell, UNREADABLE_ROW } from '../clusters/table-row-cell.js';
import {
  DEFAULT_POD_PAGE_SIZE,
  type KubePod,
  type KubeTableColumn,
  type KubeTableRow,
  NON_TERMINAL_FIELD_SELECTOR,
  TERMINAL_POD_PHASES,
} from './kube-pod.js';

/** How the server answered the pod LIST: as Table rows, or (no Table support) as full pods. */
export type PodListFormat = 'table' | 'object';

/** Non-terminal pods per node of one cluster, from one LIST continue chain. */
export interface PodCountsByNode {
  readonly cluster: string;
  /** Node name -> pods on it whose phase is neither Succeeded nor Failed. Absent = 0. */
  readonly counts: ReadonlyMap<string, number>;
  /** Non-terminal pods seen, including ones not yet scheduled to a node. */
  readonly pods: number;
  readonly pages: number;
  readonly format: PodListFormat;
  /** When the chain started (epoch ms); the counts are no older than this. */
  readonly startedAt: number;
  readonly durationMs: number;
}

export interface PodCountListOptions {
  /** Pods per page; bounds what one response carries. @default 500 */
  pageSize?: number;
  /** Deadline of each page's call. */
  timeoutMs: number;
  signal?: AbortSignal;
}

/**
 * Counts the non-terminal pods on every node with ONE cluster-wide LIST continue chain.
 * Terminal pods are filtered by the server (fieldSelector). Pods are asked for as server-side
 * Table rows without objects (~220 B a row instead of ~8 KB a pod, which is what kubectl does);
 * a server without Table support answers with a PodList, which is counted the same way.
 */
export async function listPodCountsByNode(
  client: PagedListClient,
  options: PodCountListOptions,
): Promise<PodCountsByNode> {
  const startedAt = Date.now();
  const tally = new PodCountTally();
  const { pages } = await streamPagedList(
    client,
    {
      path: '/api/v1/pods',
      query: { fieldSelector: NON_TERMINAL_FIELD_SELECTOR, includeObject: 'None' },
      accept: TABLE_ACCEPT,
      pageSize: options.pageSize ?? DEFAULT_POD_PAGE_SIZE,
      timeoutMs: options.timeoutMs,
      signal: options.signal,
    },
    tally,
  );
  tally.finish();
  return {
    cluster: client.cluster,
    counts: tally.counts,
    pods: tally.pods,
    pages,
    format: tally.format,
    startedAt,
    durationMs: Date.now() - startedAt,
  };
}

/** Placeholder kubectl's printer puts in an empty Node cell. */
const NO_NODE = '<none>';

/** A Table row as it came: parsed, or (from the splitter) its bytes, read without parsing. */
type TableRowInput = KubeTableRow | Buffer;

/**
 * Counts pods per node from the pages of a LIST, row by row. Handles both answers a server
 * may give to the Table Accept header: a Table (find the Node column, read that cell) or a
 * PodList (read spec.nodeName). Table rows are taken as bytes and only their Node cell is read
 * (readTableCell), rows it cannot read are parsed; pods are parsed. Rows that arrive before the
 * column definitions wait, at most one page of them.
 */
export class PodCountTally implements JsonListHandlers {
  readonly counts = new Map<string, number>();
  pods = 0;
  format: PodListFormat = 'table';
  private nodeColumn: number | undefined;
  private waitingRows: TableRowInput[] = [];

  onMember(key: string, value: unknown): void {
    if (key === 'kind') this.format = value === 'Table' ? 'table' : 'object';
    else if (key === 'columnDefinitions') this.defineColumns(value as KubeTableColumn[]);
  }

  onElement(key: string, value: unknown): void {
    if (key === 'items') this.countPod(value as KubePod);
    else this.takeRow(value as KubeTableRow);
  }

  onElementBytes(key: string, bytes: Buffer): void {
    if (key === 'items') this.countPod(JSON.parse(bytes.toString('utf8')) as KubePod);
    // A waiting row outlives the chunk its bytes are a view of.
    else if (this.nodeColumn === undefined) this.waitingRows.push(Buffer.from(bytes));
    else this.countRow(bytes, this.nodeColumn);
  }

  /** Throws if Table rows arrived but no page ever said which column holds the node. */
  finish(): void {
    if (this.waitingRows.length > 0) {
      throw new KubeApiError(
        'SERVER_ERROR',
        'the pod Table the server returned has no column definitions',
        200,
      );
    }
  }

  private defineColumns(columns: KubeTableColumn[]): void {
    const index = Array.isArray(columns) ? columns.findIndex((c) => c.name === 'Node') : -1;
    if (index < 0) {
      throw new KubeApiError('SERVER_ERROR', 'the pod Table the server returned has no Node column', 200);
    }
    this.nodeColumn = index;
    for (const row of this.waitingRows) this.countRow(row, index);
    this.waitingRows = [];
  }

  private takeRow(row: TableRowInput): void {
    if (this.nodeColumn === undefined) this.waitingRows.push(row);
    else this.countRow(row, this.nodeColumn);
  }

  private countRow(input: TableRowInput, nodeColumn: number): void {
    let node: unknown;
    if (Buffer.isBuffer(input)) {
      node = readTableCell(input, nodeColumn);
      if (node === UNREADABLE_ROW)
        node = (JSON.parse(input.toString('utf8')) as KubeTableRow)?.cells?.[nodeColumn];
    } else node = input?.cells?.[nodeColumn];
    this.add(typeof node === 'string' && node !== NO_NODE ? node : undefined);
  }

  private countPod(pod: KubePod): void {
    // The server already filtered terminal pods; this guards servers that ignore the selector.
    if (TERMINAL_POD_PHASES.includes(pod?.status?.phase ?? '')) return;
    this.add(pod?.spec?.nodeName);
  }

  private add(node: string | undefined): void {
    this.pods++;
    if (node) this.counts.set(node, (this.counts.get(node) ?? 0) + 1);
  }
}
