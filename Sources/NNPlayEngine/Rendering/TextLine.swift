/// Lines of cells: the legends of terminal pictures, coloured in colour modes.
extension TextCell {
    /// Text as a line of cells, all in one colour (none: the terminal's own).
    static func line(_ text: String, foreground: RGB? = nil) -> [TextCell] {
        text.map { TextCell($0, foreground: foreground) }
    }
}

extension TextCanvas {
    /// Writes a line of cells starting at (x, y), clipped at the right edge.
    mutating func put(_ cells: [TextCell], x: Int, y: Int) {
        for (i, cell) in cells.enumerated() { self[x + i, y] = cell }
    }
}
