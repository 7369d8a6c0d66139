import { z } from 'zod';

/** An image reference: `repo[:tag][@sha256:…]`. Empty means "use the pinned default" (src/hardware/bench/images.ts). */
const ImageRef = z.string().regex(/^$|^[a-z0-9][a-z0-9._\-/:@]*$/i, 'an image reference such as registry/name:tag or name@sha256:…');
/** Empty = this check is off; otherwise an http(s) URL. */
const OptionalUrl = z.string().regex(/^$|^https?:\/\/\S+$/i, 'an http:// or https:// address, or empty to turn this off');

export const BenchImages = z
  .object({
    /** CUDA n-body sample (GPU compute figure). */
    nbody: ImageRef.default(''),
    /** Any CUDA base image: the Docker rung runs `nvidia-smi -L` in it (the toolkit mounts nvidia-smi in). */
    smi: ImageRef.default(''),
    /** An image with `fio` on its PATH, used when fio is not installed on the host. Empty: built-in fallback. */
    fio: ImageRef.default(''),
  })
  .strict();

export const BenchNetwork = z
  .object({
    /** Downloaded for the throughput figure; `{bytes}` is replaced by the size asked for. */
    downloadUrl: OptionalUrl.default('https://speed.cloudflare.com/__down?bytes={bytes}'),
    /** Receives a POST body for the upload figure. */
    uploadUrl: OptionalUrl.default('https://speed.cloudflare.com/__up'),
    /** Asked for this machine's public IPv4 (plain text or JSON `{ip}`). */
    publicIpUrl: OptionalUrl.default('https://api.ipify.org?format=json'),
    /**
     * An outside service that connects back to this machine's ports: a `riglease probe-server`
     * someone with a public address runs (`http://<host>:8485/probe`). It receives
     * `POST {"ports":[80,443,8443,8444]}` and answers `{"ip":"…","results":[{"port":80,"state":"open","open":true,"ms":12}]}`
     * (protocol: src/hardware/bench/README.md). Empty: ports are reported as "not tested".
     */
    portProbeUrl: OptionalUrl.default(''),
    transferBytes: z.number().int().min(1024).max(200_000_000).default(10_000_000),
    timeoutMs: z.number().int().min(1000).max(120_000).default(20_000),
  })
  .strict();

export const BenchSettings = z
  .object({
    images: BenchImages.prefault({}),
    network: BenchNetwork.prefault({}),
    /**
     * How a benchmark container gets the GPU. `device-requests` (default) asks Docker for it per
     * container, like `docker run --gpus`. `engine-default` asks for nothing: for engines whose
     * default runtime already hands every container the GPUs (daemon.json `"default-runtime":
     * "nvidia"`).
     */
    gpuAccess: z.enum(['device-requests', 'engine-default']).default('device-requests'),
    /** n-body bodies; more = longer and steadier. The sample's own default is a few tens of thousands. */
    nbodyBodies: z.number().int().min(1024).max(4_000_000).default(200_000),
    /** Size of the test file for the disk benchmark. */
    diskTestMiB: z.number().int().min(1).max(16_384).default(256),
    /** A benchmark container is killed and removed after this long. */
    containerTimeoutSec: z.number().int().min(10).max(7200).default(600),
    /** Seconds between telemetry samples during a stability run. */
    stabilitySampleSec: z.number().int().min(1).max(60).default(5),
    /** Above this GPU temperature a stability run is flagged. */
    maxTemperatureC: z.number().int().min(50).max(110).default(83),
  })
  .strict();
export type BenchSettings = z.infer<typeof BenchSettings>;
