// Derives pmodel's built-in land mask (data/src/main/resources/pmodel/data/builtin/land-mask.bin.gz)
// from Natural Earth's 1:50m land polygons, as the world-atlas package ships them (TopoJSON,
// public domain). Run once with `npm ci && npm run derive`; the output is committed.
//
// The grid is equirectangular: WIDTH columns of 360/WIDTH degrees of longitude starting at -180,
// HEIGHT rows of 180/HEIGHT degrees of latitude starting at +90 (north) going south. A cell is
// land when its centre lies inside a land polygon. d3-geo projects the polygons (spherical edges,
// cut at the antimeridian, Antarctica closed along the south edge) and each row is filled by the
// even-odd rule at cell centres.
//
// File format (then gzipped): the 8 bytes "PMLAND1\n", WIDTH and HEIGHT as big-endian 32-bit
// integers, then HEIGHT rows of WIDTH/8 bytes, the most significant bit first, 1 = land.
import { readFileSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { createRequire } from "node:module";
import { geoEquirectangular, geoStream } from "d3-geo";
import { feature } from "topojson-client";

const WIDTH = 2880; // 1/8 degree
const HEIGHT = WIDTH / 2;
const out = process.argv[2]
    ?? "../../data/src/main/resources/pmodel/data/builtin/land-mask.bin.gz";

const require = createRequire(import.meta.url);
const topology = JSON.parse(readFileSync(require.resolve("world-atlas/land-50m.json"), "utf8"));
const land = feature(topology, topology.objects.land);

const projection = geoEquirectangular()
    .scale(WIDTH / (2 * Math.PI))
    .translate([WIDTH / 2, HEIGHT / 2]);

// Collect the projected rings as edges.
const edges = []; // x0, y0, x1, y1 flattened
let ring = null;
const sink = {
  point(x, y) { ring.push(x, y); },
  lineStart() { ring = []; },
  lineEnd() {
    const n = ring.length / 2;
    for (let i = 0; i < n; i++) {
      const j = (i + 1) % n;
      edges.push(ring[2 * i], ring[2 * i + 1], ring[2 * j], ring[2 * j + 1]);
    }
    ring = null;
  },
  polygonStart() {},
  polygonEnd() {},
  sphere() { throw new Error("unexpected sphere"); },
};
geoStream(land, projection.stream(sink));

const rowBytes = WIDTH / 8;
const bits = new Uint8Array(HEIGHT * rowBytes);
const xs = [];
let landCells = 0;
for (let y = 0; y < HEIGHT; y++) {
  const cy = y + 0.5;
  xs.length = 0;
  for (let e = 0; e < edges.length; e += 4) {
    const y0 = edges[e + 1], y1 = edges[e + 3];
    if ((y0 <= cy) !== (y1 <= cy)) {
      const x0 = edges[e], x1 = edges[e + 2];
      xs.push(x0 + (cy - y0) / (y1 - y0) * (x1 - x0));
    }
  }
  xs.sort((a, b) => a - b);
  for (let k = 0; k + 1 < xs.length; k += 2) {
    const from = Math.max(0, Math.ceil(xs[k] - 0.5));
    const to = Math.min(WIDTH - 1, Math.floor(xs[k + 1] - 0.5));
    for (let x = from; x <= to; x++) {
      bits[y * rowBytes + (x >> 3)] |= 0x80 >> (x & 7);
      landCells++;
    }
  }
}

const header = Buffer.alloc(16);
header.write("PMLAND1\n", 0, "latin1");
header.writeInt32BE(WIDTH, 8);
header.writeInt32BE(HEIGHT, 12);
writeFileSync(out, gzipSync(Buffer.concat([header, Buffer.from(bits)]), { level: 9 }));
console.log(`wrote ${out}: ${WIDTH}x${HEIGHT} cells, ${landCells} land`
    + ` (${(100 * landCells / (WIDTH * HEIGHT)).toFixed(2)}% of the map)`);
