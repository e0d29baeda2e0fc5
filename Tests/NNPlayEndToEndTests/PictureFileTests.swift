import Foundation
import Testing

// The picture files of the built binary read by Python's Pillow, which shares no code with nnplay:
// `export DIR format=png` gives the same pixels as `export DIR` (PPM), file by file, and a large
// single picture too.

@Suite("picture files in Pillow")
struct PictureFileTests {
    static let compare = """
        import os, sys
        from PIL import Image
        ppm, png = sys.argv[1], sys.argv[2]
        names = sorted(os.listdir(ppm))
        assert names and all(n.endswith('.ppm') for n in names), names
        assert sorted(os.listdir(png)) == [n[:-4] + '.png' for n in names], os.listdir(png)
        pixels = 0
        for n in names:
            with Image.open(os.path.join(ppm, n)) as a, Image.open(os.path.join(png, n[:-4] + '.png')) as b:
                assert (a.format, a.mode, b.format, b.mode) == ('PPM', 'RGB', 'PNG', 'RGB'), (n, a.format, a.mode, b.format, b.mode)
                assert a.size == b.size, (n, a.size, b.size)
                assert a.tobytes() == b.tobytes(), n + ': pixels differ'
                pixels += a.size[0] * a.size[1]
        print(len(names), 'pairs,', pixels, 'pixels, all equal')
        """

    @Test(.timeLimit(.minutes(2)))
    func exportDirFormatPNGOpensInPillowWithThePixelsOfThePPMs() throws {
        let env = URL(fileURLWithPath: "/usr/bin/env")
        let probe = run(["python3", "-c", "import PIL"], timeout: 60, executable: env)
        guard probe.status == 0 else {
            Issue.record("the picture check needs python3 with Pillow; run .ci/setup (or pip install Pillow) — \(probe)")
            return
        }
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let script = "data spiral classes=3 n=150; add 3 relu; train 10; export \(dir.path("ppm")) size=45; "
            + "export \(dir.path("png")) size=45 format=png; "
            + "export out \(dir.path("big/output.ppm")) size=1000 bare; export out \(dir.path("big-png/output.png")) size=1000 bare"
        try FileManager.default.createDirectory(atPath: dir.path("big"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir.path("big-png"), withIntermediateDirectories: true)
        let r = run(["-q", "-c", script], timeout: 60)
        #expect(r.status == 0, "\(r)")
        let wrote = r.stdoutLines.filter { $0.hasPrefix("wrote ") }
        #expect(wrote.count == 4 && wrote[0].hasPrefix("wrote 25 pictures") && wrote[1].contains(": output.png, net.png, loss.png"), "\(r.stdout)")
        let small = run(["python3", "-c", Self.compare, dir.path("ppm"), dir.path("png")], timeout: 60, executable: env)
        #expect(small.status == 0 && small.stdout.hasPrefix("25 pairs,"), "\(small)")
        let big = run(["python3", "-c", Self.compare, dir.path("big"), dir.path("big-png")], timeout: 60, executable: env)
        // bare: the map alone, 1000 × 1000 pixels
        #expect(big.status == 0 && big.stdout == "1 pairs, 1000000 pixels, all equal\n", "\(big)")
        // a name that is no picture's: an error, exit 1, and no file
        let bad = run(["-q", "-c", "export out \(dir.path("o.jpg"))"], timeout: 60)
        #expect(bad.status == 1 && bad.stderr.contains("o.jpg is not named .png or .ppm"), "\(bad)")
        #expect(!FileManager.default.fileExists(atPath: dir.path("o.jpg")))
    }
}
