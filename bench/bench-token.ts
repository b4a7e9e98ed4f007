/** The bearer token of the node bench's one person (the simulator's token file has it). */
export const BENCH_TOKEN = 'bench-user-token';
