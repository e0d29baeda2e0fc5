"""Independent readers for the terminal-picture tests (they share no code with nnplay or libchafa).

  python3 pictures.py sixel SIXEL_FILE PNG_FILE
      decodes the sixel stream (DCS … q "1;1;W;H #n;2;r;g;b … ST) and compares it with the PNG;
  python3 pictures.py screenshot SHOT_FILE PNG_FILE
      finds the PNG in a screenshot (top-left corner within 24 pixels of the window's) and compares.

Both print: width height mean_abs_difference fraction_of_pixels_off_by_more_than_16
(over the PNG's pixels; the sixel's padding below the picture is not compared).
"""
import re
import sys
from PIL import Image, ImageChops, ImageStat


def decode_sixel(text):
    start = text.index('\x1bP')
    q = text.index('q', start) + 1
    body = text[q:text.index('\x1b\\', q)]
    m = re.match(r'"(\d+);(\d+);(\d+);(\d+)', body)
    width, height = int(m.group(3)), int(m.group(4))
    body = body[m.end():]
    image = Image.new('RGB', (width, height), (0, 0, 0))
    px = image.load()
    palette, color, x, y, j = {}, 0, 0, 0, 0
    while j < len(body):
        c = body[j]
        if c == '#':
            m = re.match(r'#(\d+)(;2;(\d+);(\d+);(\d+))?', body[j:])
            j += m.end()
            color = int(m.group(1))
            if m.group(2):   # percentages of 100
                palette[color] = tuple(round(int(m.group(k)) * 255 / 100) for k in (3, 4, 5))
            continue
        if c == '!':
            m = re.match(r'!(\d+)(.)', body[j:])
            j += m.end()
            repeat, ch = int(m.group(1)), m.group(2)
        elif c == '$':
            x, j = 0, j + 1
            continue
        elif c == '-':
            x, y, j = 0, y + 6, j + 1
            continue
        elif '?' <= c <= '~':
            repeat, ch, j = 1, c, j + 1
        else:
            j += 1
            continue
        bits = ord(ch) - 63
        for _ in range(repeat):
            for b in range(6):
                if bits >> b & 1 and x < width and y + b < height:
                    px[x, y + b] = palette[color]
            x += 1
    return image


def mean_difference(a, b):
    return sum(ImageStat.Stat(ImageChops.difference(a, b)).mean) / 3


def difference(a, b):
    data = ImageChops.difference(a, b).tobytes()
    off = sum(1 for i in range(0, len(data), 3) if max(data[i], data[i + 1], data[i + 2]) > 16)
    return mean_difference(a, b), off / (len(data) // 3)


def main():
    kind, first, reference = sys.argv[1:4]
    png = Image.open(reference).convert('RGB')
    w, h = png.size
    if kind == 'sixel':
        shown = decode_sixel(open(first, encoding='latin-1').read())
        assert shown.width == w and shown.height >= h and shown.height < h + 6, (shown.size, png.size)
        mean, off = difference(shown.crop((0, 0, w, h)), png)
    else:
        shot = Image.open(first).convert('RGB')
        best = None
        for dy in range(0, 25):
            for dx in range(0, 25):
                if dx + w > shot.width or dy + h > shot.height:
                    continue
                mean = mean_difference(shot.crop((dx, dy, dx + w, dy + h)), png)
                if best is None or mean < best[0]:
                    best = (mean, dx, dy)
        assert best is not None, ('the screenshot is smaller than the picture', shot.size, png.size)
        _, dx, dy = best
        mean, off = difference(shot.crop((dx, dy, dx + w, dy + h)), png)
    print(w, h, f'{mean:.4f}', f'{off:.5f}')


if __name__ == '__main__':
    main()
