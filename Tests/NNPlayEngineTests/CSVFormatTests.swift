import Testing
@testable import NNPlayEngine

@Suite struct CSVFormatTests {
    func parse(_ text: String) throws -> CSVFormat.Contents { try CSVFormat.parse(Array(text.utf8)) }

    @Test func aSavedDatasetReadsBackExactly() throws {
        let data = try Dataset.generate(.spiral, count: 333, noise: 0.37, classes: 4, seed: 9)
        let text = CSVFormat.serialize(data)
        let back = try Dataset.fromCSV(Array(text.utf8), testFraction: data.testFraction, seed: 9, origin: "x.csv")
        #expect(back.xs.map(\.bitPattern) == data.xs.map(\.bitPattern))
        #expect(back.ys.map(\.bitPattern) == data.ys.map(\.bitPattern))
        #expect(back.labels == data.labels)
        #expect(back.trainIndices == data.trainIndices)
        #expect(text.hasPrefix("x,y,label\n"))
    }

    @Test func namedLabelsAreNumberedInOrderOfFirstAppearanceAndSavedAsNames() throws {
        let c = try parse("a,b,label\n1,2,cat\n3,4,\"dog, big\"\n5,6,cat\n7,8,emu\n")
        #expect(c.labels == [0, 1, 0, 2])
        #expect(c.classNames == ["cat", "dog, big", "emu"])
        let data = try Dataset(xs: c.xs, ys: c.ys, labels: c.labels, classCount: 3, classNames: c.classNames,
                               testFraction: 0, seed: 1, origin: "t")
        let again = try parse(CSVFormat.serialize(data))
        #expect(again == c)
    }

    @Test func minusOneAndOneReadAsZeroAndOne() throws {
        #expect(try parse("1,1,-1\n2,2,1\n3,3,-1\n").labels == [0, 1, 0])
    }

    @Test func headerCommentsBlankLinesCRLFAndBOMAreAccepted() throws {
        let c = try parse("\u{FEFF}x,y,class\r\n# a comment\r\n\r\n 1.5 , -2e-1 , 0 \r\n3,4,1\r\n")
        #expect(c.xs == [1.5, 3] && c.ys == [-0.2, 4] && c.labels == [0, 1] && c.classNames == nil)
    }

    static let badFiles: [(String, String)] = [
        ("", "the file is empty"),
        ("x,y,label\n", "has a header but no data"),
        ("1,2,0\n3,4\n", "line 2: 2 fields, expected 3"),
        ("1,2,0\n3,4,1,5\n", "line 2: 4 fields"),
        ("1,2,0\nabc,4,1\n", "line 2: x is not a number (\"abc\")"),
        ("1,2,0\n3,,1\n", "line 2: y is not a number"),
        ("1,2,0\nnan,4,1\n", "line 2: x is nan: coordinates must be finite"),
        ("1,2,0\n3,inf,1\n", "line 2: y is inf"),
        ("1,2,0\n3,4,0\n", "every point has label 0: a dataset needs at least 2 classes"),
        ("1,2,0\n3,4,1\n5,6,3\n", "line 3: label 3 is out of range"),
        ("1,2,0\n3,4,99\n", "line 2: label 99 is out of range; labels are 0…15"),
        ("1,2,0\n3,4,-2\n", "line 2: label -2 is negative"),
        ("1,2,-1\n3,4,0\n", "line 2: label 0 among -1/1 labels"),
        ("1,2,0\n3,4,0.5\n5,6,cat\n", "line 3: label \"cat\" is a name but the labels before it are numbers"),
        ("1,2,0\n3,4,cat\n", "line 2: label \"cat\" is a name but the labels before it are numbers"),
        ("1,2,0\n3,4,1\nx,y,label\n5,6,0\n", "line 3: a header line (x,y,label) in the middle of the data"),
        ("1,2,0\n3,4,\n", "line 2: the label is empty"),
        ("1,2,\"cat\n", "line 1: a quote is not closed"),
        ("1,2,0\n3,4,1\u{0}\n", "binary"),
    ]

    @Test(arguments: badFiles)
    func badFilesAreRejectedWithAMessageThatNamesTheProblem(text: String, message: String) {
        do {
            _ = try parse(text)
            Issue.record("accepted \(text.debugDescription)")
        } catch let e as NNPlayError {
            #expect(e.message.contains(message), "\(text.debugDescription): \(e.message)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func invalidUTF8IsRejectedWithItsLine() {
        var bytes = Array("1,2,0\n3,4,1\n".utf8)
        bytes += [0x35, 0x2C, 0x36, 0x2C, 0xFF, 0xFE, 0x0A]
        #expect(throws: NNPlayError("line 3: the text is not UTF-8 (save the file as UTF-8)")) { try CSVFormat.parse(bytes) }
    }

    @Test func tooManyClassNamesAreRefused() {
        let text = (0...Dataset.maxClasses).map { "1,2,c\($0)" }.joined(separator: "\n")
        #expect(throws: NNPlayError.self) { try parse(text) }
    }
}
