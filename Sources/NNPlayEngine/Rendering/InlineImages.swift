import CChafa
import Foundation

/// The inline-image protocols of terminals that show pictures: kitty's graphics protocol, iTerm2's
/// inline images (also WezTerm, VS Code's terminal) and sixel (xterm -ti vt340, foot, mlterm).
public enum InlineImageProtocol: String, CaseIterable, Sendable {
    case kitty, iterm, sixel
}

/// Escape sequences that show an `Image` in a terminal, pixel for pixel (kitty and iTerm2 carry the
/// PNG file's bytes, so they show what `export` writes; sixel has a 256-colour palette per picture).
public enum InlineImages {
    /// kitty sends base64 in chunks of at most 4096 bytes, `m=1` on all but the last.
    static let kittyChunk = 4096

    /// The sequences that draw `image` at the cursor; the cursor ends on the line after it.
    public static func encode(_ image: Image, as kind: InlineImageProtocol) throws -> String {
        switch kind {
        case .kitty: return kitty(try PNG.encode(image))
        case .iterm: return iterm(try PNG.encode(image))
        case .sixel: return try sixel(image) + "\n"
        }
    }

    /// kitty: transmit and display a PNG (`a=T,f=100`), quietly (`q=2`: no reply to read back).
    static func kitty(_ png: [UInt8]) -> String {
        let payload = Data(png).base64EncodedString()
        var out = ""
        var start = payload.startIndex
        var first = true
        repeat {
            let end = payload.index(start, offsetBy: kittyChunk, limitedBy: payload.endIndex) ?? payload.endIndex
            let more = end < payload.endIndex ? 1 : 0
            out += "\u{1B}_G" + (first ? "a=T,f=100,q=2,m=\(more)" : "m=\(more)") + ";" + payload[start..<end] + "\u{1B}\\"
            first = false
            start = end
        } while start < payload.endIndex
        return out + "\n"
    }

    /// iTerm2: `OSC 1337 ; File=inline=1;size=N:<base64> BEL`, shown at its own pixel size.
    static func iterm(_ png: [UInt8]) -> String {
        "\u{1B}]1337;File=inline=1;size=\(png.count);width=auto;height=auto;preserveAspectRatio=1:"
            + Data(png).base64EncodedString() + "\u{07}\n"
    }

    /// Sixel through libchafa. Its canvas is given cells of 1 × 6 pixels (a sixel is six pixels
    /// tall), so that it is exactly the picture's size, padded with the background to a whole sixel
    /// row: nothing is rescaled. (The terminal's cells matter only for fitting the window.)
    static func sixel(_ image: Image) throws -> String {
        guard image.width > 0, image.height > 0 else { throw NNPlayError("cannot show a picture with no pixels") }
        let columns = image.width, rows = (image.height + 5) / 6
        let cw = 1, ch = 6
        var padded = Image(width: columns, height: rows * ch, fill: Palette.background)
        padded.draw(image, x: 0, y: 0)
        guard let config = chafa_canvas_config_new() else { throw NNPlayError("libchafa could not make a canvas") }
        defer { chafa_canvas_config_unref(config) }
        chafa_canvas_config_set_pixel_mode(config, CHAFA_PIXEL_MODE_SIXELS)
        chafa_canvas_config_set_canvas_mode(config, CHAFA_CANVAS_MODE_TRUECOLOR)
        chafa_canvas_config_set_cell_geometry(config, gint(cw), gint(ch))
        chafa_canvas_config_set_geometry(config, gint(columns), gint(rows))
        // the picture's own colours: no contrast stretch, no dither noise on its flat regions
        chafa_canvas_config_set_preprocessing_enabled(config, 0)
        chafa_canvas_config_set_dither_mode(config, CHAFA_DITHER_MODE_NONE)
        guard let canvas = chafa_canvas_new(config) else { throw NNPlayError("libchafa could not make a \(columns)×\(rows)-cell canvas") }
        defer { chafa_canvas_unref(canvas) }
        // RGBA: chafa 1.12 misreads packed RGB rows at some widths (the picture comes out sheared)
        var rgba = [UInt8](repeating: 255, count: 4 * padded.width * padded.height)
        for p in 0..<(padded.width * padded.height) {
            rgba[4 * p] = padded.bytes[3 * p]; rgba[4 * p + 1] = padded.bytes[3 * p + 1]; rgba[4 * p + 2] = padded.bytes[3 * p + 2]
        }
        rgba.withUnsafeBufferPointer { buffer in
            chafa_canvas_draw_all_pixels(canvas, CHAFA_PIXEL_RGBA8_UNASSOCIATED, buffer.baseAddress, gint(padded.width), gint(padded.height), gint(4 * padded.width))
        }
        guard let db = chafa_term_db_get_default(), let info = chafa_term_db_get_fallback_info(db) else {
            throw NNPlayError("libchafa has no terminal description to print sixels with")
        }
        defer { chafa_term_info_unref(info) }
        guard let printed = chafa_canvas_print(canvas, info) else { throw NNPlayError("libchafa could not print the picture") }
        defer { g_string_free(printed, 1) }
        return String(decoding: UnsafeRawBufferPointer(start: printed.pointee.str, count: Int(printed.pointee.len)), as: UTF8.self)
    }
}
