/*
 * The convolution playground: the reader sets a 1-D convolution (channels, groups, causal, transposed) or a
 * stack of layers and steps through it.
 *
 * The arithmetic mirrors conv_docs (trace_conv1d / trace_conv_transpose1d / causal.trace_causal_conv1d /
 * receptive_field); tests/test_playground.py checks it in a browser against vectors made by conv_docs. Every value
 * from the address or a control reaches the page through textContent, a form value or setAttribute only, never
 * through an HTML sink.
 *
 * Test hooks: window.convPlayground.summary(config) returns plain data (outputs, formulas, cells, links, code) or
 * {error} for a config of strings as the address holds them: {input: "2,3,4;1,0,-1", weight: "1,1|0,1", ...};
 * window.convPlayground.stack(config) does the same for {layers: "3,1,1,0;3,2,1,0", stack_length: "16"}.
 */
(function () {
  "use strict";

  if (window.convPlayground) return; /* instant navigation runs this script again: the first copy starts pages */

  var MODES = ["zeros", "reflect", "replicate", "circular"];
  var LIMITS = { input: 64, weight: 16, stride: 16, dilation: 16, padding: 32, channels: 8, layers: 4 };
  var SEED = {
    input: "2,3,4", weight: "1,1", bias: "0", stride: "2", padding: "1", padding_mode: "zeros", dilation: "1",
    groups: "1", causal: "", transposed: "", output_padding: "0", layers: "3,1,1,0;3,2,1,0;3,1,1,0",
    stack_length: "16",
  };
  var KEYS = Object.keys(SEED);
  var FLAGS = ["causal", "transposed"];
  var NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
  var INTEGER = /^[+-]?\d+$/;

  /* --- numbers as a reader writes them (Python's "%.6g", as conv_docs.trace.fmt) ----------------------------- */

  function stripZeros(text) {
    return text.indexOf(".") < 0 ? text : text.replace(/0+$/, "").replace(/\.$/, "");
  }

  function fmt(value) {
    if (value === 0) return "0";
    var exponent = Number(value.toExponential(5).split("e")[1]);
    if (exponent < -4 || exponent >= 6) {
      var parts = value.toExponential(5).split("e");
      var power = Math.abs(Number(parts[1]));
      return stripZeros(parts[0]) + "e" + (parts[1][0] === "-" ? "-" : "+") + (power < 10 ? "0" : "") + power;
    }
    return stripZeros(value.toFixed(5 - exponent));
  }

  /* Python's repr of a float, for the PyTorch code: 2.0, -0.5, 1e-07 */
  function pyFloat(value) {
    var text = String(value);
    return /[.e]/.test(text) || !isFinite(value) ? text : text + ".0";
  }

  function range(n) {
    var out = [];
    for (var i = 0; i < n; i++) out.push(i);
    return out;
  }

  /* --- reading a configuration ------------------------------------------------------------------------------- */

  function Invalid(message) {
    this.message = message;
  }

  function numbers(name, text, limit) {
    var parts = String(text).split(/[\s,]+/).filter(function (part) { return part !== ""; });
    if (!parts.length) throw new Invalid(name + " needs at least one number, e.g. 2, 3, 4");
    if (parts.length > limit) throw new Invalid(name + " can hold at most " + limit + " values here, got " + parts.length);
    return parts.map(function (part) {
      var value = Number(part);
      if (!NUMBER.test(part) || !isFinite(value)) {
        throw new Invalid(name + " must be numbers separated by commas, got \u201c" + part + "\u201d");
      }
      return value;
    });
  }

  function integer(name, text, minimum, maximum) {
    var trimmed = String(text).trim();
    if (!INTEGER.test(trimmed)) throw new Invalid(name + " must be a whole number, got \u201c" + trimmed + "\u201d");
    var value = Number(trimmed);
    if (value < minimum) throw new Invalid(name + " must be at least " + minimum + ", got " + value);
    if (maximum !== undefined && value > maximum) {
      throw new Invalid(name + " can be at most " + maximum + " here, got " + value);
    }
    return value;
  }

  function flag(text) {
    return text === "1" || text === "true" || text === "on";
  }

  function channelCount(name, count) {
    if (count > LIMITS.channels) {
      throw new Invalid(name + " can have at most " + LIMITS.channels + " channels here (separated by ;), got " + count);
    }
  }

  /* "2,3,4;1,0,-1": one row per channel, all the same length */
  function channels(text) {
    var rows = String(text).split(";").map(function (row, c, all) {
      return numbers(all.length > 1 ? "input channel " + c : "input", row, LIMITS.input);
    });
    channelCount("input", rows.length);
    rows.forEach(function (row, c) {
      if (row.length !== rows[0].length) {
        throw new Invalid("input channels must all have the same length: channel 0 has " + rows[0].length +
          " values, channel " + c + " has " + row.length);
      }
    });
    return rows;
  }

  /* "1,1|0,1;2,0|1,-1": the weight as torch lays it out, first index by ;, second by |, taps by , */
  function kernels(text) {
    var rows = String(text).split(";").map(function (row) {
      return row.split("|").map(function (kernel) { return numbers("weight", kernel, LIMITS.weight); });
    });
    channelCount("weight", rows.length);
    rows.forEach(function (row, a) {
      channelCount("weight", row.length);
      if (row.length !== rows[0].length) {
        throw new Invalid("weight: every part between ; needs the same number of kernels (separated by |): part 0 has " +
          rows[0].length + ", part " + a + " has " + row.length);
      }
      row.forEach(function (kernel) {
        if (kernel.length !== rows[0][0].length) {
          throw new Invalid("weight: every kernel needs the same number of taps (kernel_size): the first has " +
            rows[0][0].length + ", another has " + kernel.length);
        }
      });
    });
    return rows;
  }

  function parse(raw) {
    var config = {};
    config.transposed = flag(raw.transposed);
    config.causal = flag(raw.causal);
    config.input = channels(raw.input);
    config.weight = kernels(raw.weight);
    var inChannels = config.input.length;
    config.stride = integer("stride", raw.stride, 1, LIMITS.stride);
    config.dilation = integer("dilation", raw.dilation, 1, LIMITS.dilation);
    config.groups = integer("groups", raw.groups, 1, LIMITS.channels);
    var g = config.groups, first = config.weight.length, second = config.weight[0].length;
    if (config.causal && config.transposed) {
      throw new Invalid("causal applies to Conv1d only: clear causal or transposed");
    }
    var outChannels;
    if (config.transposed) {
      if (first !== inChannels) {
        throw new Invalid("weight for ConvTranspose1d has one part (separated by ;) per input channel: the input has " +
          inChannels + " channels, the weight " + first);
      }
      outChannels = second * g;
    } else {
      outChannels = first;
    }
    channelCount("out_channels", outChannels);
    [["in_channels", inChannels], ["out_channels", outChannels]].forEach(function (pair) {
      if (pair[1] % g) throw new Invalid("groups=" + g + " must divide " + pair[0] + "=" + pair[1] + ": try groups=1");
    });
    if (!config.transposed && second * g !== inChannels) {
      throw new Invalid("weight needs in_channels/groups = " + inChannels / g + " kernels per output channel " +
        "(separated by |), got " + second);
    }
    config.inChannels = inChannels;
    config.outChannels = outChannels;
    var bias = String(raw.bias).trim();
    if (bias === "" || bias === "none") {
      config.bias = null;
    } else {
      config.bias = String(bias).split(/[\s,]+/).filter(Boolean).map(function (part) {
        if (!NUMBER.test(part) || !isFinite(Number(part))) {
          throw new Invalid("bias must be numbers separated by commas, or empty for no bias, got \u201c" + part + "\u201d");
        }
        return Number(part);
      });
      if (config.bias.length !== outChannels) {
        throw new Invalid("bias needs one number per output channel: " + outChannels + " (out_channels), got " +
          config.bias.length);
      }
    }
    if (config.causal) {
      config.padding = 0;
      config.padding_mode = "zeros";
      config.output_padding = 0;
      return config;
    }
    var padding = String(raw.padding).trim();
    if (padding === "same" || padding === "valid") {
      if (config.transposed) {
        throw new Invalid("padding must be a whole number for a transposed convolution ('same' and 'valid' are conv1d only)");
      }
      config.padding = padding;
    } else if (INTEGER.test(padding)) {
      config.padding = integer("padding", padding, 0, LIMITS.padding);
    } else {
      throw new Invalid("padding must be a whole number \u2265 0, 'same' or 'valid', got \u201c" + padding + "\u201d");
    }
    if (MODES.indexOf(raw.padding_mode) < 0) {
      throw new Invalid("padding_mode must be one of " + MODES.join(", ") + ", got \u201c" + raw.padding_mode + "\u201d");
    }
    config.padding_mode = raw.padding_mode;
    if (config.transposed) {
      if (config.padding_mode !== "zeros") {
        throw new Invalid("padding_mode must be zeros for a transposed convolution, got " + config.padding_mode);
      }
      config.output_padding = integer("output_padding", raw.output_padding, 0);
    } else {
      config.output_padding = 0;
    }
    return config;
  }

  /* --- the arithmetic, as conv_docs.trace does it -------------------------------------------------------------- */

  function paddingSource(q, length, left, mode) {
    var i = q - left;
    if (i >= 0 && i < length) return i;
    if (mode === "zeros") return null;
    if (mode === "reflect") return i < 0 ? -i : 2 * (length - 1) - i;
    if (mode === "replicate") return i < 0 ? 0 : length - 1;
    return ((i % length) + length) % length; /* circular */
  }

  function finishStep(config, channel, position, terms) {
    var sum = 0;
    terms.forEach(function (term) { sum += term.product; });
    var bias = config.bias === null ? 0 : config.bias[channel];
    return { channel: channel, position: position, terms: terms, bias: bias, output: bias + sum };
  }

  function term(channel, tap, index, cell, source, weight, value) {
    return { channel: channel, tap: tap, index: index, cell: cell, source: source, weight: weight, value: value, product: weight * value };
  }

  function traceConv1d(config) {
    var x = config.input, w = config.weight, length = x[0].length, k = w[0][0].length;
    var stride = config.stride, dilation = config.dilation, mode = config.padding_mode;
    var left, right;
    if (config.causal) {
      left = dilation * (k - 1); /* conv_docs.causal.causal_padding */
      right = 0;
    } else if (config.padding === "valid") {
      left = right = 0;
    } else if (config.padding === "same") {
      if (stride !== 1) {
        throw new Invalid("padding 'same' needs stride 1, got stride " + stride +
          ": with a larger stride no padding keeps the output as long as the input");
      }
      var total = dilation * (k - 1);
      left = Math.floor(total / 2);
      right = total - left;
    } else {
      left = right = config.padding;
    }
    if (mode === "reflect" && Math.max(left, right) >= length) {
      throw new Invalid("padding_mode reflect needs padding smaller than the input length " + length +
        ", got padding (" + left + ", " + right + ")");
    }
    if (mode === "circular" && Math.max(left, right) > length) {
      throw new Invalid("padding_mode circular may wrap around at most once: padding must be at most the input length " +
        length + ", got padding (" + left + ", " + right + ")");
    }
    var span = dilation * (k - 1) + 1;
    var padded = left + length + right;
    if (span > padded) {
      throw new Invalid("the kernel (" + k + " weights, dilation " + dilation + ") spans " + span +
        " cells, more than the padded input length " + padded + " (input " + length + ", padding (" + left + ", " + right + "))");
    }
    var cells = x.map(function (row) {
      return range(padded).map(function (q) {
        var source = paddingSource(q, length, left, mode);
        var inside = q - left >= 0 && q - left < length;
        return { position: q, value: source === null ? 0 : row[source], kind: inside ? "input" : mode, source: source };
      });
    });
    var outLength = Math.floor((length + left + right - span) / stride) + 1;
    var groupIn = w[0].length, groupOut = config.outChannels / config.groups;
    var steps = [];
    for (var co = 0; co < config.outChannels; co++) {
      var g = Math.floor(co / groupOut);
      for (var t = 0; t < outLength; t++) {
        var terms = [];
        for (var c = 0; c < groupIn; c++) {
          var ci = g * groupIn + c;
          for (var j = 0; j < k; j++) {
            var cell = cells[ci][t * stride + j * dilation];
            terms.push(term(ci, j, [co, c, j], cell.position, cell.source, w[co][c][j], cell.value));
          }
        }
        steps.push(finishStep(config, co, t, terms));
      }
    }
    var lengthFormula = config.causal ? [
      "L_out = floor((L \u2212 1) / stride) + 1   (the left padding dilation\u00b7(K\u22121) cancels the kernel\u2019s span)",
      "= floor((" + length + " \u2212 1) / " + stride + ") + 1 = " + outLength,
    ] : [
      "L_out = floor((L + left + right \u2212 dilation\u00b7(K\u22121) \u2212 1) / stride) + 1",
      "= floor((" + length + " + " + left + " + " + right + " \u2212 " + dilation + "\u00b7(" + k + "\u22121) \u2212 1) / " +
        stride + ") + 1 = " + outLength,
    ];
    return finishTrace(config, "conv1d", cells, steps, [left, right], outLength, lengthFormula);
  }

  function traceConvTranspose1d(config) {
    var x = config.input, w = config.weight, length = x[0].length, k = w[0][0].length;
    var stride = config.stride, dilation = config.dilation, padding = config.padding, extra = config.output_padding;
    if (extra >= Math.max(stride, dilation)) {
      throw new Invalid("output_padding must be smaller than stride (" + stride + ") or dilation (" + dilation +
        "), got " + extra);
    }
    var outLength = (length - 1) * stride - 2 * padding + dilation * (k - 1) + extra + 1;
    if (outLength < 1) {
      throw new Invalid("the output length (L\u22121)\u00b7stride \u2212 2\u00b7padding + dilation\u00b7(K\u22121) + output_padding + 1 = " +
        outLength + " is below 1: reduce padding");
    }
    var cells = x.map(function (row) {
      return row.map(function (value, i) { return { position: i, value: value, kind: "input", source: i }; });
    });
    var groupOut = w[0].length, groupIn = config.inChannels / config.groups;
    var steps = [];
    for (var co = 0; co < config.outChannels; co++) {
      var g = Math.floor(co / groupOut), c = co % groupOut;
      for (var o = 0; o < outLength; o++) {
        var terms = [];
        for (var ci = g * groupIn; ci < (g + 1) * groupIn; ci++) {
          for (var j = 0; j < k; j++) {
            var reach = o + padding - j * dilation;
            if (reach % stride !== 0) continue;
            var i = reach / stride;
            if (i < 0 || i >= length) continue;
            terms.push(term(ci, j, [ci, c, j], i, i, w[ci][c][j], x[ci][i]));
          }
        }
        steps.push(finishStep(config, co, o, terms));
      }
    }
    return finishTrace(config, "conv_transpose1d", cells, steps, [padding, padding], outLength, [
      "L_out = (L\u22121)\u00b7stride \u2212 2\u00b7padding + dilation\u00b7(K\u22121) + output_padding + 1",
      "= (" + length + "\u22121)\u00b7" + stride + " \u2212 2\u00b7" + padding + " + " + dilation + "\u00b7(" + k + "\u22121) + " +
        extra + " + 1 = " + outLength,
    ]);
  }

  function finishTrace(config, op, cells, steps, padding, outLength, lengthFormula) {
    var reached = {};
    steps.forEach(function (step) {
      step.terms.forEach(function (t) { if (t.source !== null) reached[t.channel + ":" + t.source] = true; });
    });
    var unread = [];
    config.input.forEach(function (row, c) {
      row.forEach(function (_, i) { if (!reached[c + ":" + i]) unread.push([c, i]); });
    });
    var output = range(config.outChannels).map(function (co) {
      return steps.slice(co * outLength, (co + 1) * outLength).map(function (step) { return step.output; });
    });
    return {
      op: op, config: config, cells: cells, steps: steps, padding: padding, unread: unread, output: output,
      outLength: outLength, lengthFormula: lengthFormula,
      single: config.inChannels === 1 && config.outChannels === 1,
    };
  }

  /* a negative factor after "*" in parentheses, and "a - b" rather than "a + -b" (conv_docs.trace.product, signed_sum) */
  function product(left, right) {
    return right.charAt(0) === "-" ? left + "*(" + right + ")" : left + "*" + right;
  }

  function signedSum(terms) {
    if (!terms.length) return "0";
    var text = terms[0];
    for (var k = 1; k < terms.length; k++) {
      text += terms[k].charAt(0) === "-" ? " - " + terms[k].slice(1) : " + " + terms[k];
    }
    return text;
  }

  function weightName(trace, t) {
    return trace.single ? "w" + t.tap : "w[" + t.index.join("][") + "]";
  }

  function formula(trace, step) {
    var parts = step.terms.map(function (t) { return product(fmt(t.value), weightName(trace, t)); });
    if (trace.config.bias !== null) parts.push("bias");
    return signedSum(parts);
  }

  function arithmetic(trace, step) {
    var parts = step.terms.map(function (t) { return product(fmt(t.value), fmt(t.weight)); });
    if (trace.config.bias !== null) parts.push(fmt(step.bias));
    return signedSum(parts) + " = " + fmt(step.output);
  }

  function outputName(trace, step) {
    return trace.single ? "y[" + step.position + "]" : "y[" + step.channel + "][" + step.position + "]";
  }

  function inputName(trace, c, i) {
    return trace.config.inChannels === 1 ? "x[" + i + "]" : "x[" + c + "][" + i + "]";
  }

  /* the input channels a step reads, and the partial sum over each */
  function channelSums(trace, step) {
    var order = [], by = {};
    step.terms.forEach(function (t) {
      if (!by[t.channel]) { by[t.channel] = []; order.push(t.channel); }
      by[t.channel].push(t);
    });
    return order.map(function (c) {
      var sum = 0;
      by[c].forEach(function (t) { sum += t.product; });
      return { channel: c, sum: sum, text: signedSum(by[c].map(function (t) { return product(fmt(t.value), fmt(t.weight)); })) };
    });
  }

  function readsChannels(trace, co) {
    var config = trace.config, g;
    if (trace.op === "conv1d") {
      g = Math.floor(co / (config.outChannels / config.groups));
    } else {
      g = Math.floor(co / config.weight[0].length);
    }
    var per = config.inChannels / config.groups;
    return { group: g, channels: range(per).map(function (c) { return g * per + c; }) };
  }

  function compute(raw) {
    try {
      var config = parse(Object.assign({}, SEED, raw || {}));
      return { trace: config.transposed ? traceConvTranspose1d(config) : traceConv1d(config) };
    } catch (error) {
      if (error instanceof Invalid) return { error: error.message };
      throw error;
    }
  }

  function nested(values) {
    return Array.isArray(values) ? "[" + values.map(nested).join(", ") + "]" : pyFloat(values);
  }

  function pytorchCode(trace) {
    var c = trace.config;
    var padding = typeof c.padding === "string" ? '"' + c.padding + '"' : String(c.padding);
    var hasBias = c.bias !== null ? "True" : "False";
    var k = c.weight[0][0].length;
    var lines = ["import torch"];
    if (c.causal) lines.push("import torch.nn.functional as F");
    lines.push("");
    var head = "    " + c.inChannels + ", " + c.outChannels + ", kernel_size=" + k + ", stride=" + c.stride;
    if (c.transposed) {
      lines.push("conv = torch.nn.ConvTranspose1d(");
      lines.push(head + ", padding=" + padding + ",");
      lines.push("    output_padding=" + c.output_padding + ", groups=" + c.groups + ", bias=" + hasBias + ", dilation=" + c.dilation + ",");
    } else if (c.causal) {
      lines.push("conv = torch.nn.Conv1d(  # no padding here: F.pad below puts the zeros on the left");
      lines.push(head + ", dilation=" + c.dilation + ", groups=" + c.groups + ", bias=" + hasBias + ",");
    } else {
      lines.push("conv = torch.nn.Conv1d(");
      lines.push(head + ", padding=" + padding + ",");
      lines.push("    dilation=" + c.dilation + ", groups=" + c.groups + ", bias=" + hasBias + ', padding_mode="' + c.padding_mode + '",');
    }
    lines.push(")");
    lines.push("with torch.no_grad():");
    lines.push("    conv.weight.copy_(torch.tensor(" + nested(c.weight) + "))");
    if (c.bias !== null) lines.push("    conv.bias.copy_(torch.tensor(" + nested(c.bias) + "))");
    lines.push("x = torch.tensor([" + nested(c.input) + "])  # (batch, channels, length)");
    if (c.causal) {
      lines.push("x = F.pad(x, (" + trace.padding[0] + ", 0))  # causal: dilation*(kernel_size-1) zeros on the left only");
    }
    lines.push("y = conv(x)");
    lines.push("print(y)  # shape (1, " + c.outChannels + ", " + trace.outLength + "): " + trace.output.map(function (row) {
      return row.map(fmt).join(", ");
    }).join("; "));
    return lines.join("\n");
  }

  /* which outputs each input cell feeds, and which input cells each output reads (the gradient's path) */
  function links(trace) {
    var reads = trace.steps.map(function (step) {
      var seen = {}, out = [];
      step.terms.forEach(function (t) {
        var key = t.channel + ":" + t.cell;
        if (!seen[key]) { seen[key] = true; out.push([t.channel, t.cell, t.source]); }
      });
      return out;
    });
    return reads;
  }

  /* --- a stack of layers: lengths, receptive fields, footprints (conv_docs.receptive_field) ---------------- */

  function parseStack(raw) {
    var length = integer("stack_length", raw.stack_length, 1, LIMITS.input);
    var text = String(raw.layers).trim();
    var parts = text === "" ? [] : text.split(";");
    if (!parts.length || parts.length > LIMITS.layers) {
      throw new Invalid("layers needs 1 to " + LIMITS.layers + " layers separated by ;, each kernel,stride,dilation,padding, got " +
        parts.length);
    }
    var layers = parts.map(function (part, n) {
      var v = part.split(",");
      var name = "layer " + (n + 1);
      if (v.length !== 4) {
        throw new Invalid(name + " needs four whole numbers kernel,stride,dilation,padding, got \u201c" + part + "\u201d");
      }
      return {
        kernel: integer(name + " kernel", v[0], 1, LIMITS.weight),
        stride: integer(name + " stride", v[1], 1, LIMITS.stride),
        dilation: integer(name + " dilation", v[2], 1, LIMITS.dilation),
        padding: integer(name + " padding", v[3], 0, LIMITS.padding),
      };
    });
    var lengths = [length];
    layers.forEach(function (layer, n) {
      var L = lengths[n];
      var out = Math.floor((L + 2 * layer.padding - layer.dilation * (layer.kernel - 1) - 1) / layer.stride) + 1;
      if (out < 1) {
        throw new Invalid("layer " + (n + 1) + " gets " + L + " cells and has no output: its kernel spans " +
          (layer.dilation * (layer.kernel - 1) + 1) + " cells with padding " + layer.padding +
          "; lengthen stack_length, add padding or shorten its kernel or dilation");
      }
      lengths.push(out);
    });
    var fields = [], field = 1, jump = 1;
    layers.forEach(function (layer) {
      field += layer.dilation * (layer.kernel - 1) * jump;
      jump *= layer.stride;
      fields.push(field);
    });
    return { layers: layers, lengths: lengths, fields: fields };
  }

  /* cells of each level below ``level`` that cell ``position`` there depends on; padding cells listed, read nothing */
  function footprint(stack, level, position) {
    var levels = [];
    levels[level] = [position];
    for (var l = level; l > 0; l--) {
      var layer = stack.layers[l - 1], seen = {}, cells = [];
      levels[l].forEach(function (t) {
        if (t < 0 || t >= stack.lengths[l]) return; /* padding of the layer above: reads nothing */
        for (var j = 0; j < layer.kernel; j++) {
          var cell = t * layer.stride + j * layer.dilation - layer.padding;
          if (!seen[cell]) { seen[cell] = true; cells.push(cell); }
        }
      });
      levels[l - 1] = cells.sort(function (a, b) { return a - b; });
    }
    return levels;
  }

  function stackSummary(raw) {
    try {
      var stack = parseStack(Object.assign({}, SEED, raw || {}));
      var top = stack.layers.length;
      return {
        lengths: stack.lengths, fields: stack.fields,
        footprints: range(stack.lengths[top]).map(function (t) { return footprint(stack, top, t); }),
      };
    } catch (error) {
      if (error instanceof Invalid) return { error: error.message };
      throw error;
    }
  }

  /* --- the page ------------------------------------------------------------------------------------------------- */

  function el(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function readAddress() {
    var params = new URLSearchParams(window.location.search);
    var raw = {};
    KEYS.forEach(function (key) {
      var value = params.get(key);
      raw[key] = value === null ? SEED[key] : value; /* a partial link: the rest from the defaults */
    });
    return raw;
  }

  function addressOf(raw) {
    var query = KEYS.filter(function (key) {
      if (FLAGS.indexOf(key) >= 0) return flag(raw[key]);
      if (key === "output_padding") return flag(raw.transposed);
      if (key === "padding" || key === "padding_mode") return !flag(raw.causal);
      return true;
    }).map(function (key) {
      return key + "=" + encodeURIComponent(raw[key]).replace(/%2C/gi, ",").replace(/%3B/gi, ";").replace(/%7C/gi, "|");
    }).join("&");
    return window.location.pathname + "?" + query;
  }

  var FIELDS = [
    { key: "input", label: "Input values", hint: "commas between values, ; between channels", type: "text", wide: true },
    { key: "weight", label: "Weights", hint: "the kernels: ; between output channels, | between the input channels of a group", type: "text", wide: true },
    { key: "bias", label: "Bias", hint: "one number per output channel; empty for none", type: "text" },
    { key: "in_channels", label: "in_channels", hint: "rows of the input", type: "number", min: 1, derived: true },
    { key: "out_channels", label: "out_channels", hint: "rows of the output", type: "number", min: 1, derived: true },
    { key: "groups", label: "Groups", hint: "must divide both channel counts", type: "number", min: 1 },
    { key: "stride", label: "Stride", hint: "step between windows", type: "number", min: 1 },
    { key: "padding", label: "Padding", hint: "a whole number, same or valid", type: "text", list: ["0", "1", "2", "same", "valid"] },
    { key: "padding_mode", label: "Padding mode", hint: "what the padding cells hold", type: "select", options: MODES },
    { key: "dilation", label: "Dilation", hint: "spacing between taps", type: "number", min: 1 },
    { key: "causal", label: "Causal", hint: "zeros on the left only; padding not used", type: "checkbox" },
    { key: "transposed", label: "Transposed", hint: "ConvTranspose1d instead of Conv1d", type: "checkbox" },
    { key: "output_padding", label: "Output padding", hint: "cells added at the right end", type: "number", min: 0 },
  ];

  function buildField(form, field, raw, controls) {
    var id = "cp-" + field.key;
    var wrap = el("div", { class: "cp-field cp-field-" + field.type + (field.wide ? " cp-wide" : "") });
    var control;
    if (field.type === "select") {
      control = el("select", { id: id, name: field.key });
      var options = field.options.slice();
      /* an unknown mode from the address stays, as plain text, so that its message shows until the reader picks one */
      if (options.indexOf(raw[field.key]) < 0) options.push(raw[field.key]);
      options.forEach(function (option) { control.appendChild(el("option", { value: option }, option)); });
      control.value = raw[field.key];
    } else if (field.type === "checkbox") {
      control = el("input", { id: id, name: field.key, type: "checkbox" });
      control.checked = flag(raw[field.key]);
    } else {
      control = el("input", { id: id, name: field.key, type: field.type, autocomplete: "off", spellcheck: "false" });
      if (field.min !== undefined) control.setAttribute("min", String(field.min));
      if (field.type === "number") control.setAttribute("inputmode", "numeric");
      if (field.list) {
        var list = el("datalist", { id: id + "-list" });
        field.list.forEach(function (option) { list.appendChild(el("option", { value: option })); });
        wrap.appendChild(list);
        control.setAttribute("list", id + "-list");
      }
      control.value = raw[field.key] === undefined ? "" : raw[field.key];
    }
    var label = el("label", { for: id }, field.label);
    if (field.hint) control.setAttribute("aria-describedby", id + "-hint");
    if (field.type === "checkbox") {
      wrap.appendChild(control);
      wrap.appendChild(label);
    } else {
      wrap.appendChild(label);
      wrap.appendChild(control);
    }
    if (field.hint) wrap.appendChild(el("span", { id: id + "-hint", class: "cp-hint" }, field.hint));
    controls[field.key] = control;
    form.appendChild(wrap);
  }

  function readForm(controls) {
    var raw = {};
    KEYS.forEach(function (key) {
      if (!controls[key]) return;
      raw[key] = FLAGS.indexOf(key) >= 0 ? (controls[key].checked ? "1" : "") : controls[key].value;
    });
    return raw;
  }

  function cellCaption(trace, c, cell) {
    var name = trace.config.inChannels === 1 ? "x[" : "x" + c + "[";
    if (cell.kind === "input") return name + cell.source + "]";
    if (cell.source === null) return "pad";
    return "=" + name + cell.source + "]";
  }

  function cellTitle(trace, c, cell) {
    if (cell.kind === "input") return "input " + inputName(trace, c, cell.source) + " = " + fmt(cell.value);
    if (cell.source === null) return trace.config.causal ? "causal padding zero" : "padding zero";
    return cell.kind + " padding: a copy of " + inputName(trace, c, cell.source) + " = " + fmt(cell.value);
  }

  /* a cell the reader can hover, focus or tap; a row of them is one tab stop, arrow keys move along it */
  function cellButton(attributes, value, caption) {
    /* the caption comes from a data attribute through CSS, so that the cell's text is its value alone */
    var node = el("button", Object.assign({ type: "button", class: "cp-cell", tabindex: "-1", "data-caption": caption }, attributes));
    node.appendChild(value);
    return node;
  }

  function rovingRow(row) {
    var cells = Array.prototype.filter.call(row.children, function (node) { return node.tagName === "BUTTON"; });
    if (cells.length) cells[0].setAttribute("tabindex", "0");
    row.addEventListener("keydown", function (event) {
      var index = cells.indexOf(document.activeElement);
      if (index < 0) return;
      var to = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: cells.length - 1 }[event.key];
      if (to === undefined) return;
      event.preventDefault();
      to = Math.max(0, Math.min(cells.length - 1, to));
      cells[index].setAttribute("tabindex", "-1");
      cells[to].setAttribute("tabindex", "0");
      cells[to].focus();
    });
  }

  function mark(nodes, on) {
    nodes.forEach(function (node) {
      if (on) node.setAttribute("data-linked", "true");
      else node.removeAttribute("data-linked");
    });
  }

  function copyText(text, done) {
    function fallback() {
      var area = el("textarea", { class: "cp-offscreen", "aria-hidden": "true", tabindex: "-1" });
      area.value = text;
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (error) { ok = false; }
      area.remove();
      done(ok);
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, fallback);
    } else {
      fallback();
    }
  }

  function randomRaw() {
    var pick = function (list) { return list[Math.floor(Math.random() * list.length)]; };
    var int = function (a, b) { return a + Math.floor(Math.random() * (b - a + 1)); };
    for (var attempt = 0; attempt < 200; attempt++) {
      var groups = pick([1, 1, 1, 2]);
      var cin = groups * int(1, 2), cout = groups * int(1, 2), k = int(1, 3), L = int(3, 8);
      var transposed = Math.random() < 0.2, causal = !transposed && Math.random() < 0.25;
      var values = function (n, a, b) { return range(n).map(function () { return int(a, b); }).join(","); };
      var first = transposed ? cin : cout, second = transposed ? cout / groups : cin / groups;
      var raw = Object.assign({}, SEED, {
        input: range(cin).map(function () { return values(L, -3, 6); }).join(";"),
        weight: range(first).map(function () {
          return range(second).map(function () { return values(k, -2, 2); }).join("|");
        }).join(";"),
        bias: Math.random() < 0.3 ? "" : values(cout, -1, 1),
        groups: String(groups), stride: String(int(1, 2)), dilation: String(pick([1, 1, 2])),
        padding: String(pick([0, 1, 2, "same", "valid"])), padding_mode: transposed ? "zeros" : pick(MODES),
        causal: causal ? "1" : "", transposed: transposed ? "1" : "", output_padding: "0",
      });
      if (transposed && raw.padding.length > 1) raw.padding = "1";
      if (!compute(raw).error) return raw;
    }
    return Object.assign({}, SEED);
  }

  /* best effort: the input and weight text reshaped to new channel counts, keeping what is there */
  function reshape(raw, cin, cout) {
    var result = compute(raw);
    if (result.error) return null;
    var c = result.trace.config, groups = c.groups;
    if (cin % groups || cout % groups) groups = 1;
    var input = range(cin).map(function (i) { return c.input[Math.min(i, c.inChannels - 1)].map(fmt).join(","); });
    var first = c.transposed ? cin : cout, second = c.transposed ? cout / groups : cin / groups;
    var weight = range(first).map(function (a) {
      return range(second).map(function (b) {
        var row = c.weight[a] || c.weight[c.weight.length - 1];
        return (row[b] || row[row.length - 1]).map(fmt).join(",");
      }).join("|");
    });
    var bias = c.bias === null ? "" : range(cout).map(function (o) { return fmt(c.bias[o] || 0); }).join(",");
    return { input: input.join(";"), weight: weight.join(";"), bias: bias, groups: String(groups) };
  }

  function Playground(root) {
    this.root = root;
    this.controls = {};
    this.step = 0;
    this.timer = null;
    this.trace = null;
    this.pinned = null;
    root.textContent = "";
    root.classList.add("cp-ready");
    var raw = readAddress(), self = this;

    /* the settings fold away on a phone so that the steps show on the first screen */
    var details = el("details", { class: "cp-settings" });
    if (window.matchMedia && window.matchMedia("(min-width: 60em)").matches) details.open = true;
    this.summaryText = el("span", { class: "cp-summary-text" });
    var summary = el("summary", {});
    summary.appendChild(el("span", { class: "cp-summary-title" }, "Settings"));
    summary.appendChild(this.summaryText);
    details.appendChild(summary);
    var form = el("form", { class: "cp-form", "aria-label": "Convolution settings" });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    FIELDS.forEach(function (field) { buildField(form, field, raw, self.controls); });
    details.appendChild(form);
    root.appendChild(details);

    var tools = el("div", { class: "cp-tools", role: "group", "aria-label": "Share and reset" });
    [["Copy link", "link"], ["Copy code", "code"], ["Reset", "reset"], ["Random", "random"]].forEach(function (pair) {
      var button = el("button", { type: "button", class: "md-button", "data-action": pair[1] }, pair[0]);
      button.addEventListener("click", function () { self.act(pair[1]); });
      tools.appendChild(button);
    });
    this.toolStatus = el("span", { class: "cp-tool-status", role: "status" });
    tools.appendChild(this.toolStatus);
    root.appendChild(tools);

    this.error = el("p", { "data-testid": "error", class: "cp-error", role: "alert" });
    root.appendChild(this.error);
    this.results = el("div", { class: "cp-results" });
    root.appendChild(this.results);

    /* the stack of layers */
    var stackBox = el("section", { class: "cp-stack", "aria-labelledby": "cp-stack-title" });
    stackBox.appendChild(el("h2", { id: "cp-stack-title" }, "A stack of layers"));
    stackBox.appendChild(el("p", {},
      "Up to four Conv1d layers, each with its own kernel, stride, dilation and padding, the input at the bottom. " +
      "Hover, focus or tap a cell of any layer to see every cell below that it depends on: its receptive field."));
    this.stackForm = el("form", { class: "cp-form cp-stack-form", "aria-label": "Stack settings" });
    this.stackForm.addEventListener("submit", function (event) { event.preventDefault(); });
    stackBox.appendChild(this.stackForm);
    this.stackError = el("p", { "data-testid": "stack-error", class: "cp-error", role: "alert" });
    stackBox.appendChild(this.stackError);
    this.stackResults = el("div", { class: "cp-stack-results" });
    stackBox.appendChild(this.stackResults);
    root.appendChild(stackBox);
    this.stackRaw = { layers: raw.layers, stack_length: raw.stack_length };

    Object.keys(this.controls).forEach(function (key) {
      var control = self.controls[key];
      var handler = (key === "in_channels" || key === "out_channels")
        ? function () { self.rechannel(); }
        : function () { self.sync(); self.update(true); };
      control.addEventListener(control.type === "checkbox" || control.tagName === "SELECT" ? "change" : "input", handler);
    });
    this.sync();
    this.update(false);
    /* the stack sits below the first screen: built in a task of its own, so that no task blocks the page long */
    window.setTimeout(function () {
      if (!self.root.isConnected) return;
      self.buildStackForm();
      self.updateStack(false);
    }, 0);
  }

  Playground.prototype.raw = function () {
    return Object.assign(readForm(this.controls), this.stackRaw);
  };

  Playground.prototype.sync = function () {
    var c = this.controls;
    var transposed = c.transposed.checked, causal = c.causal.checked;
    c.output_padding.disabled = !transposed;
    c.padding_mode.disabled = transposed || causal;
    c.padding.disabled = causal;
    if (transposed) c.padding_mode.value = "zeros";
  };

  Playground.prototype.rechannel = function () {
    var cin = Number(this.controls.in_channels.value), cout = Number(this.controls.out_channels.value);
    var ok = INTEGER.test(this.controls.in_channels.value) && INTEGER.test(this.controls.out_channels.value) &&
      cin >= 1 && cout >= 1 && cin <= LIMITS.channels && cout <= LIMITS.channels;
    var shaped = ok ? reshape(readForm(this.controls), cin, cout) : null;
    if (!shaped) {
      this.showError(ok ? "fix the setting above first: in_channels and out_channels reshape a valid input and weight"
        : "in_channels and out_channels must be whole numbers from 1 to " + LIMITS.channels);
      return;
    }
    var self = this;
    Object.keys(shaped).forEach(function (key) { self.controls[key].value = shaped[key]; });
    this.update(true);
  };

  Playground.prototype.act = function (action) {
    var self = this;
    if (action === "link" || action === "code") {
      var text = action === "link" ? window.location.href : (this.trace ? pytorchCode(this.trace) : "");
      if (!text) { this.toolStatus.textContent = "No code to copy: fix the settings first"; return; }
      copyText(text, function (ok) {
        self.toolStatus.textContent = ok ? (action === "link" ? "Link copied" : "Code copied")
          : "Copying is blocked here: select the " + (action === "link" ? "address bar" : "code below") + " and copy it";
      });
      return;
    }
    var raw = action === "reset" ? Object.assign({}, SEED) : randomRaw();
    Object.keys(this.controls).forEach(function (key) {
      var control = self.controls[key];
      if (raw[key] === undefined) return;
      if (control.type === "checkbox") control.checked = flag(raw[key]);
      else control.value = raw[key];
    });
    if (action === "reset") {
      this.stackRaw = { layers: SEED.layers, stack_length: SEED.stack_length };
      this.buildStackForm();
      this.updateStack(false);
    }
    this.step = 0;
    this.sync();
    this.update(true);
    this.toolStatus.textContent = action === "reset" ? "Back to the defaults" : "A random configuration";
  };

  Playground.prototype.stop = function () {
    if (this.timer !== null) window.clearInterval(this.timer);
    this.timer = null;
    if (this.playButton) {
      this.playButton.textContent = "Play";
      this.playButton.setAttribute("aria-pressed", "false");
    }
  };

  Playground.prototype.showError = function (message) {
    this.trace = null;
    this.error.textContent = message;
    this.error.hidden = false;
    this.results.textContent = "";
    this.results.appendChild(el("p", { class: "cp-muted" }, "Fix the setting above to see the convolution."));
  };

  Playground.prototype.update = function (fromControl) {
    this.stop();
    var raw = this.raw();
    if (fromControl) window.history.replaceState(window.history.state, "", addressOf(raw));
    var result = compute(raw);
    this.summaryText.textContent = (flag(raw.transposed) ? "ConvTranspose1d" : "Conv1d") +
      (flag(raw.causal) ? ", causal" : "") + " \u00b7 input " + raw.input + " \u00b7 weight " + raw.weight;
    if (result.error) {
      this.showError(result.error);
      return;
    }
    this.error.textContent = "";
    this.error.hidden = true;
    this.trace = result.trace;
    this.controls.in_channels.value = String(this.trace.config.inChannels);
    this.controls.out_channels.value = String(this.trace.config.outChannels);
    this.step = Math.min(this.step, this.trace.steps.length - 1);
    this.pinned = null;
    this.render();
  };

  Playground.prototype.render = function () {
    var trace = this.trace, self = this, box = this.results, config = trace.config;
    var transposed = trace.op === "conv_transpose1d";
    box.textContent = "";

    /* step control */
    var nav = el("div", { class: "cp-steps", role: "group", "aria-label": "Step through the outputs" });
    var previous = el("button", { type: "button", class: "md-button" }, "\u2190 Previous");
    var play = el("button", { type: "button", class: "md-button md-button--primary", "aria-pressed": "false" }, "Play");
    var next = el("button", { type: "button", class: "md-button" }, "Next \u2192");
    var sliderLabel = el("label", { for: "cp-step" }, "Step");
    var slider = el("input", { id: "cp-step", type: "range", min: "0", max: String(trace.steps.length - 1), step: "1" });
    slider.value = String(this.step);
    previous.addEventListener("click", function () { self.stop(); self.go(self.step - 1); });
    next.addEventListener("click", function () { self.stop(); self.go(self.step + 1); });
    slider.addEventListener("input", function () { self.stop(); self.go(Number(slider.value)); });
    play.addEventListener("click", function () { self.toggle(); });
    [previous, play, next, sliderLabel, slider].forEach(function (node) { nav.appendChild(node); });
    this.playButton = play;
    this.slider = slider;
    box.appendChild(nav);
    this.status = el("p", { class: "cp-status", "aria-live": "polite", "data-testid": "status" });
    box.appendChild(this.status);
    this.sums = el("ul", { class: "cp-sums", "data-testid": "channel-sums" });
    box.appendChild(this.sums);

    /* the strip: (padded) input rows, the kernel under the window, the scatter, the outputs */
    var strip = el("div", {
      class: "cp-strip" + (transposed ? " cp-transposed" : ""), role: "region", "aria-label": "Cells at this step", tabindex: "0",
    });
    this.strip = strip;
    this.cellNodes = [];
    this.kernelNodes = [];
    this.inputRows = [];
    this.inputButtons = {};
    trace.cells.forEach(function (row, c) {
      var label = transposed ? "Input" : (config.causal ? "Input, causal padding on the left" : "Padded input");
      if (config.inChannels > 1) label += ", channel " + c;
      var rowLabel = el("p", { class: "cp-row-label" }, label);
      var inputRow = el("div", { class: "cp-row", "aria-label": label, role: "group" });
      var kernelRow = el("div", { class: "cp-row cp-kernel", "aria-hidden": "true" });
      var nodes = [], slots = [];
      row.forEach(function (cell) {
        var unread = cell.kind === "input" && trace.unread.some(function (u) { return u[0] === c && u[1] === cell.source; });
        var attributes = {
          class: "cp-cell cp-" + cell.kind + (unread ? " cp-unread" : ""),
          title: cellTitle(trace, c, cell) + (unread ? " (never read)" : ""),
        };
        if (cell.kind === "input") attributes["data-testid"] = "input-" + c + "-" + cell.source;
        var node = cellButton(attributes, el("span", { class: "cp-value" }, fmt(cell.value)), cellCaption(trace, c, cell));
        node.addEventListener("mouseenter", function () { self.link("in", c, cell.position); });
        node.addEventListener("focus", function () { self.link("in", c, cell.position); });
        node.addEventListener("mouseleave", function () { self.unlink(); });
        node.addEventListener("blur", function () { self.unlink(); });
        node.addEventListener("click", function () { self.pin("in", c, cell.position); });
        inputRow.appendChild(node);
        nodes.push(node);
        var slot = el("div", { class: "cp-cell cp-slot" });
        kernelRow.appendChild(slot);
        slots.push(slot);
      });
      rovingRow(inputRow);
      var group = el("div", { class: "cp-channel" });
      group.appendChild(rowLabel);
      group.appendChild(inputRow);
      group.appendChild(kernelRow);
      strip.appendChild(group);
      self.inputRows.push({ group: group, label: rowLabel, text: label });
      self.cellNodes.push(nodes);
      self.kernelNodes.push(slots);
    });
    if (!transposed) {
      strip.insertBefore(el("p", { class: "cp-row-label cp-kernel-note" },
        "Under each input row: the kernel at this step"), strip.firstChild);
    }

    /* transposed: the scatter (filled by go) and the outputs on its columns, cropped cells marked */
    var length = config.input[0].length, k = config.weight[0][0].length;
    var full = (length - 1) * config.stride + config.dilation * (k - 1) + 1;
    var columns = transposed ? Math.max(full, trace.padding[0] + trace.outLength) : trace.outLength;
    if (transposed) {
      strip.appendChild(el("p", { class: "cp-row-label" }, "Scatter: each input cell\u2019s weighted copy of the kernel, where it lands"));
      this.scatter = el("div", { class: "cp-scatter", "data-testid": "scatter" });
      strip.appendChild(this.scatter);
    }
    this.outputNodes = [];
    range(config.outChannels).forEach(function (co) {
      var label = config.outChannels > 1 ? "Output, channel " + co : "Output";
      strip.appendChild(el("p", { class: "cp-row-label" }, label));
      var outputRow = el("div", { class: "cp-row", role: "group", "aria-label": label });
      range(columns).forEach(function (u) {
        var o = transposed ? u - trace.padding[0] : u;
        if (o < 0 || o >= trace.outLength) {
          var cropped = el("div", { class: "cp-cell cp-cropped", title: "cropped by padding=" + trace.padding[0] });
          cropped.appendChild(el("span", { class: "cp-value" }, "\u2013"));
          cropped.appendChild(el("span", { class: "cp-caption" }, "cropped"));
          outputRow.appendChild(cropped);
          return;
        }
        var index = co * trace.outLength + o, step = trace.steps[index];
        var value = el("span", { class: "cp-value", "data-value": String(step.output) }, fmt(step.output));
        if (config.outChannels === 1) value.setAttribute("data-testid", "output-" + o);
        var extra = transposed && o >= trace.outLength - config.output_padding; /* kept by output_padding */
        var node = cellButton({
          class: "cp-cell cp-output" + (extra ? " cp-extra" : ""), "data-testid": "output-" + co + "-" + o,
          title: outputName(trace, step) + " = " + fmt(step.output) + (extra ? " (kept by output_padding" + (u >= full ? ": no kernel copy reaches it, only the bias)" : ")") : ""),
        }, value, outputName(trace, step) + (extra ? " op" : ""));
        node.addEventListener("mouseenter", function () { self.link("out", index); });
        node.addEventListener("focus", function () { self.link("out", index); });
        node.addEventListener("mouseleave", function () { self.unlink(); });
        node.addEventListener("blur", function () { self.unlink(); });
        node.addEventListener("click", function () { self.stop(); self.go(index); self.pin("out", index); });
        outputRow.appendChild(node);
        self.outputNodes[index] = node;
      });
      rovingRow(outputRow);
      strip.appendChild(outputRow);
    });
    this.columns = columns;
    this.full = full;
    box.appendChild(strip);
    var legend = transposed
      ? "Each input cell x[i] adds x[i]\u00b7wj to output y[i\u00b7stride + j\u00b7dilation \u2212 padding]. Cells marked \u201ccropped\u201d are cut off by padding; \u201cop\u201d marks the cells output_padding keeps at the right end (past the last kernel copy they get only the bias)."
      : config.causal
        ? "Causal: dilation\u00b7(K\u22121) = " + trace.padding[0] + " zeros on the left only, so y[t] reads no input after x[t]; padding and padding mode are not used."
        : "Dashed cells are padding: \u201cpad\u201d holds a zero, \u201c=x[1]\u201d copies input x[1]. Struck-through inputs are never read.";
    box.appendChild(el("p", { class: "cp-legend" }, legend + " Hover, focus or tap a cell to mark every cell linked to it."));
    this.linkNote = el("p", { class: "cp-link-note", "data-testid": "link-note" });
    box.appendChild(this.linkNote);
    this.reads = links(trace);
    this.rowNodes = [];
    this.go(this.step, true);
    /* what lies below the step view comes in the next task */
    var token = this.renderToken = {};
    window.setTimeout(function () {
      if (self.renderToken === token && self.trace === trace) self.renderDetails(trace, box);
    }, 0);
  };

  Playground.prototype.renderDetails = function (trace, box) {
    var config = trace.config, self = this;

    /* output length */
    var lengthBox = el("div", { class: "cp-length" });
    lengthBox.appendChild(el("p", {}, "Output length"));
    var formulaBlock = el("pre", {});
    formulaBlock.appendChild(el("code", { tabindex: "0" }, trace.lengthFormula.join("\n      "))); /* the code scrolls */
    lengthBox.appendChild(formulaBlock);
    box.appendChild(lengthBox);
    if (trace.unread.length) {
      box.appendChild(el("p", { class: "cp-note" }, "Never read: " + trace.unread.map(function (u) {
        return inputName(trace, u[0], u[1]) + " = " + fmt(config.input[u[0]][u[1]]);
      }).join(", ") + ". No window reaches " + (trace.unread.length > 1 ? "these inputs" : "this input") + "."));
    }

    /* every output with its formula */
    var tableWrap = el("div", { class: "cp-table", role: "region", "aria-label": "Every output", tabindex: "0" });
    var table = el("table", {});
    table.appendChild(el("caption", {}, "Every output, by hand"));
    var head = el("tr", {});
    ["output", "formula", "arithmetic"].forEach(function (name) { head.appendChild(el("th", { scope: "col" }, name)); });
    var thead = el("thead", {});
    thead.appendChild(head);
    table.appendChild(thead);
    var body = el("tbody", {});
    this.rowNodes = trace.steps.map(function (step) {
      var row = el("tr", {});
      row.appendChild(el("th", { scope: "row" }, outputName(trace, step)));
      row.appendChild(el("td", {}, formula(trace, step)));
      row.appendChild(el("td", {}, arithmetic(trace, step)));
      body.appendChild(row);
      return row;
    });
    table.appendChild(body);
    tableWrap.appendChild(table);
    box.appendChild(tableWrap);

    /* the same in PyTorch */
    box.appendChild(el("p", { class: "cp-code-label" }, "The same configuration in PyTorch:"));
    var pre = el("pre", { class: "cp-code" });
    pre.appendChild(el("code", { "data-testid": "pytorch-code", tabindex: "0" }, pytorchCode(trace)));
    box.appendChild(pre);
    this.rowNodes.forEach(function (row, i) { row.classList.toggle("cp-current", i === self.step); });
  };

  /* linked cells: an output and the input cells it reads, or an input cell and every output it feeds */
  Playground.prototype.link = function (side, a, b) {
    var trace = this.trace, self = this;
    if (!trace) return;
    this.clearLinks();
    var inputs = [], outputs = [], text;
    if (side === "out") {
      var step = trace.steps[a];
      outputs.push(this.outputNodes[a]);
      this.reads[a].forEach(function (r) {
        inputs.push(self.cellNodes[r[0]][r[1]]);
        if (r[2] !== null && trace.cells[r[0]][r[1]].kind !== "input") {
          inputs.push(self.cellNodes[r[0]][r[2] + trace.padding[0]]); /* the input cell a padding cell copies */
        }
      });
      var sources = this.reads[a].filter(function (r) { return r[2] !== null; }).map(function (r) { return inputName(trace, r[0], r[2]); });
      sources = unique(sources);
      text = outputName(trace, step) + " reads " + (sources.length ? sources.join(", ") +
        (sources.length > 1 ? ": a change in any of them changes it, and its gradient flows back to them."
          : ": a change in it changes the output, and the gradient flows back to it.") : "no input cell, only the bias.");
    } else {
      var cell = trace.cells[a][b];
      inputs.push(this.cellNodes[a][b]);
      var source = cell.source;
      var fed = [];
      this.reads.forEach(function (list, index) {
        var hit = list.some(function (r) { return r[0] === a && (source === null ? r[1] === b : r[2] === source); });
        if (hit) { outputs.push(self.outputNodes[index]); fed.push(outputName(trace, trace.steps[index])); }
      });
      if (source !== null) {
        trace.cells[a].forEach(function (other, q) { if (other.source === source && q !== b) inputs.push(self.cellNodes[a][q]); });
      }
      var name = source === null ? "this padding zero" : inputName(trace, a, source);
      text = name + " feeds " + (fed.length ? fed.join(", ") : "no output") + ".";
    }
    mark(inputs, true);
    mark(outputs, true);
    this.linkNote.textContent = text;
  };

  function unique(list) {
    return list.filter(function (item, i) { return list.indexOf(item) === i; });
  }

  Playground.prototype.clearLinks = function () {
    this.root.querySelectorAll(".cp-results [data-linked]").forEach(function (node) { node.removeAttribute("data-linked"); });
  };

  Playground.prototype.pin = function (side, a, b) {
    this.pinned = [side, a, b];
    this.link(side, a, b);
  };

  Playground.prototype.unlink = function () {
    if (this.pinned) {
      this.link(this.pinned[0], this.pinned[1], this.pinned[2]);
    } else {
      this.clearLinks();
      this.linkNote.textContent = "";
    }
  };

  Playground.prototype.go = function (index, quiet) {
    var trace = this.trace;
    if (!trace) return;
    var count = trace.steps.length, config = trace.config;
    this.step = Math.max(0, Math.min(count - 1, index));
    var step = trace.steps[this.step];
    var self = this;
    var reading = readsChannels(trace, step.channel);
    this.cellNodes.forEach(function (nodes) { nodes.forEach(function (node) { node.classList.remove("cp-current"); }); });
    this.kernelNodes.forEach(function (slots) {
      slots.forEach(function (slot) { slot.textContent = ""; slot.classList.remove("cp-tap"); });
    });
    this.inputRows.forEach(function (row, c) {
      var read = reading.channels.indexOf(c) >= 0;
      row.group.classList.toggle("cp-other", !read);
      row.label.textContent = row.text + (config.inChannels > 1 && !read ? " (another group: not read by " + outputName(trace, step) + ")" : "");
    });
    step.terms.forEach(function (t) {
      self.cellNodes[t.channel][t.cell].classList.add("cp-current");
      if (trace.op !== "conv1d") return;
      var slot = self.kernelNodes[t.channel][t.cell];
      slot.classList.add("cp-tap");
      slot.appendChild(el("span", { class: "cp-value" }, fmt(t.weight)));
      slot.appendChild(el("span", { class: "cp-caption" }, weightName(trace, t)));
    });
    if (trace.op === "conv_transpose1d") this.drawScatter(step);
    this.outputNodes.forEach(function (node, i) { node.classList.toggle("cp-current", i === self.step); });
    this.rowNodes.forEach(function (row, i) { row.classList.toggle("cp-current", i === self.step); });
    this.slider.value = String(this.step);
    this.slider.setAttribute("aria-valuetext", "step " + (this.step + 1) + " of " + count);
    var name = outputName(trace, step);
    var text = "Step " + (this.step + 1) + " of " + count + ": " + (step.terms.length
      ? name + " = " + formula(trace, step) + " = " + arithmetic(trace, step)
      : "no input cell reaches " + name + ", so " + name + " = " + arithmetic(trace, step));
    this.sums.textContent = "";
    if (config.inChannels > 1) {
      var groupText = config.groups > 1 ? " (group " + reading.group + " of " + config.groups + ")" : "";
      text += ". It reads input channel" + (reading.channels.length > 1 ? "s " : " ") + reading.channels.join(", ") +
        groupText + " and sums over them.";
      var sums = channelSums(trace, step), total = 0;
      sums.forEach(function (s) {
        total += s.sum;
        self.sums.appendChild(el("li", {}, "channel " + s.channel + ": " + s.text + " = " + fmt(s.sum)));
      });
      self.sums.appendChild(el("li", {}, "sum over channels" + (config.bias !== null ? " + bias" : "") + ": " +
        signedSum(sums.map(function (s) { return fmt(s.sum); }).concat(config.bias !== null ? [fmt(step.bias)] : [])) +
        " = " + fmt(step.output)));
    }
    if (quiet && this.status.textContent === text) return;
    this.status.textContent = text;
  };

  /* ConvTranspose1d: for the current output channel, one row per input cell of its group, on the output's columns */
  Playground.prototype.drawScatter = function (step) {
    var trace = this.trace, config = trace.config, self = this, box = this.scatter;
    var reading = readsChannels(trace, step.channel), c = step.channel % config.weight[0].length;
    var pad = trace.padding[0], k = config.weight[0][0].length;
    box.textContent = "";
    reading.channels.forEach(function (ci) {
      config.input[ci].forEach(function (value, i) {
        var row = el("div", { class: "cp-row cp-scatter-row" });
        var landing = {};
        for (var j = 0; j < k; j++) landing[i * config.stride + j * config.dilation] = j;
        range(self.columns).forEach(function (u) {
          var j = landing[u];
          if (j === undefined) {
            row.appendChild(el("div", { class: "cp-cell cp-blank", "aria-hidden": "true" }));
            return;
          }
          var o = u - pad, cropped = o < 0 || o >= trace.outLength;
          var here = !cropped && o === step.position;
          var cell = el("div", {
            class: "cp-cell cp-spread" + (cropped ? " cp-cropped" : "") + (here ? " cp-current" : ""),
            title: inputName(trace, ci, i) + "\u00b7" + weightName(trace, { tap: j, index: [ci, c, j] }) +
              (cropped ? ", cropped" : " to y[" + o + "]"),
          });
          cell.appendChild(el("span", { class: "cp-value" }, fmt(value * config.weight[ci][c][j])));
          cell.appendChild(el("span", { class: "cp-caption" }, (config.inChannels > 1 ? "x" + ci : "x") + "[" + i + "]w" + j));
          row.appendChild(cell);
        });
        box.appendChild(row);
      });
    });
  };

  Playground.prototype.toggle = function () {
    if (this.timer !== null) {
      this.stop();
      return;
    }
    var self = this;
    if (this.step >= this.trace.steps.length - 1) this.go(0);
    this.playButton.textContent = "Pause";
    this.playButton.setAttribute("aria-pressed", "true");
    this.timer = window.setInterval(function () {
      if (!self.root.isConnected || self.step >= self.trace.steps.length - 1) {
        self.stop();
        return;
      }
      self.go(self.step + 1);
    }, 1200);
  };

  /* --- the stack on the page ------------------------------------------------------------------------------- */

  Playground.prototype.stackLayers = function () {
    return String(this.stackRaw.layers).split(";").map(function (part) { return part.split(","); });
  };

  Playground.prototype.buildStackForm = function () {
    var self = this, form = this.stackForm;
    form.textContent = "";
    var lengthWrap = el("div", { class: "cp-field cp-field-number" });
    lengthWrap.appendChild(el("label", { for: "cp-stack_length" }, "Input length"));
    var lengthInput = el("input", { id: "cp-stack_length", type: "number", min: "1", inputmode: "numeric" });
    lengthInput.value = this.stackRaw.stack_length;
    lengthInput.addEventListener("input", function () { self.stackRaw.stack_length = lengthInput.value; self.updateStack(true); });
    lengthWrap.appendChild(lengthInput);
    form.appendChild(lengthWrap);
    var layers = this.stackLayers();
    var names = ["kernel", "stride", "dilation", "padding"];
    layers.forEach(function (values, n) {
      var fieldset = el("fieldset", { class: "cp-layer" });
      fieldset.appendChild(el("legend", {}, "Layer " + (n + 1)));
      names.forEach(function (name, a) {
        var id = "cp-layer" + (n + 1) + "-" + name;
        var wrap = el("div", { class: "cp-field cp-field-number" });
        wrap.appendChild(el("label", { for: id }, name));
        var input = el("input", { id: id, type: "number", min: a === 3 ? "0" : "1", inputmode: "numeric" });
        input.value = values[a] === undefined ? "" : values[a];
        input.addEventListener("input", function () {
          var all = self.stackLayers();
          all[n][a] = input.value;
          self.stackRaw.layers = all.map(function (v) { return v.join(","); }).join(";");
          self.updateStack(true);
        });
        wrap.appendChild(input);
        fieldset.appendChild(wrap);
      });
      form.appendChild(fieldset);
    });
    var buttons = el("div", { class: "cp-layer-buttons" });
    var add = el("button", { type: "button", class: "md-button" }, "Add a layer");
    var remove = el("button", { type: "button", class: "md-button" }, "Remove the top layer");
    add.disabled = layers.length >= LIMITS.layers;
    remove.disabled = layers.length <= 1;
    add.addEventListener("click", function () {
      self.stackRaw.layers += ";2,1,1,0";
      self.buildStackForm();
      self.updateStack(true);
      document.getElementById("cp-layer" + (layers.length + 1) + "-kernel").focus();
    });
    remove.addEventListener("click", function () {
      self.stackRaw.layers = self.stackLayers().slice(0, -1).map(function (v) { return v.join(","); }).join(";");
      self.buildStackForm();
      self.updateStack(true);
      document.getElementById("cp-stack_length").focus();
    });
    buttons.appendChild(add);
    buttons.appendChild(remove);
    form.appendChild(buttons);
  };

  Playground.prototype.updateStack = function (fromControl) {
    if (fromControl) window.history.replaceState(window.history.state, "", addressOf(this.raw()));
    var box = this.stackResults, self = this;
    box.textContent = "";
    var stack;
    try {
      stack = parseStack(this.stackRaw);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      this.stack = null;
      this.stackError.textContent = error.message;
      this.stackError.hidden = false;
      box.appendChild(el("p", { class: "cp-muted" }, "Fix the layer settings above to see the stack."));
      return;
    }
    this.stack = stack;
    this.stackError.textContent = "";
    this.stackError.hidden = true;
    var top = stack.layers.length;
    var terms = stack.layers.map(function (layer, n) {
      var jumps = stack.layers.slice(0, n).map(function (l) { return l.stride; });
      return layer.dilation + "\u00b7(" + layer.kernel + "\u22121)" + (jumps.length ? "\u00b7" + jumps.join("\u00b7") : "");
    });
    box.appendChild(el("p", { class: "cp-field-sizes", "data-testid": "receptive-field" },
      "Receptive field of one cell of layer " + top + ": R = 1 + " + terms.join(" + ") + " = " + stack.fields[top - 1] +
      " input cells (after " + stack.fields.map(function (f, n) { return "layer " + (n + 1) + ": " + f; }).join(", ") + ")."));
    var strip = el("div", { class: "cp-strip cp-stack-strip", role: "region", "aria-label": "The stack, top layer first", tabindex: "0" });
    this.stackNodes = [];
    for (var level = top; level >= 0; level--) {
      var pad = level < top ? stack.layers[level].padding : 0;
      var label = level === 0 ? "Input, " + stack.lengths[0] + " cells" : "Layer " + level + " output, " + stack.lengths[level] + " cells";
      if (pad) label += " (dashed: the " + pad + " padding cell" + (pad > 1 ? "s" : "") + " of layer " + (level + 1) + ")";
      strip.appendChild(el("p", { class: "cp-row-label" }, label));
      var row = el("div", { class: "cp-row", role: "group", "aria-label": label });
      var nodes = {};
      for (var p = -pad; p < stack.lengths[level] + pad; p++) {
        var inside = p >= 0 && p < stack.lengths[level];
        var name = (level === 0 ? "x" : "h" + level) + "[" + p + "]";
        var node;
        if (inside) {
          node = cellButton({ "data-testid": "stack-" + level + "-" + p, title: name }, el("span", { class: "cp-value" }, String(p)),
            level === 0 ? "x" : "h" + level);
          (function (lv, pos) {
            node.addEventListener("mouseenter", function () { self.stackLink(lv, pos); });
            node.addEventListener("focus", function () { self.stackLink(lv, pos); });
            node.addEventListener("click", function () { self.stackPinned = [lv, pos]; self.stackLink(lv, pos); });
            node.addEventListener("mouseleave", function () { self.stackUnlink(); });
            node.addEventListener("blur", function () { self.stackUnlink(); });
          })(level, p);
        } else {
          node = el("div", { class: "cp-cell cp-zeros", title: "padding of layer " + (level + 1) });
          node.appendChild(el("span", { class: "cp-value" }, "0"));
          node.appendChild(el("span", { class: "cp-caption" }, "pad"));
        }
        nodes[p] = node;
        row.appendChild(node);
      }
      rovingRow(row);
      this.stackNodes[level] = nodes;
      strip.appendChild(row);
    }
    box.appendChild(strip);
    this.stackNote = el("p", { class: "cp-link-note", "data-testid": "stack-note" });
    box.appendChild(this.stackNote);
    this.stackPinned = null;
  };

  Playground.prototype.stackLink = function (level, position) {
    var stack = this.stack, self = this;
    if (!stack) return;
    this.stackClear();
    var levels = footprint(stack, level, position);
    levels.forEach(function (cells, l) {
      cells.forEach(function (p) { if (self.stackNodes[l][p]) self.stackNodes[l][p].setAttribute("data-linked", "true"); });
    });
    var name = (level === 0 ? "x" : "h" + level) + "[" + position + "]";
    if (level === 0) {
      this.stackNote.textContent = name + " is an input cell: select a cell of a layer to see what it reads.";
      return;
    }
    var bottom = levels[0], real = bottom.filter(function (p) { return p >= 0 && p < stack.lengths[0]; });
    this.stackNote.textContent = name + " depends on input cells " + (real.length ? real[0] + " to " + real[real.length - 1] : "none") +
      " (" + real.length + " of them" + (real.length < bottom.length ? ", and " + (bottom.length - real.length) + " padding cells" : "") +
      "); one cell of layer " + level + " sees a window " + stack.fields[level - 1] + " input cells wide.";
  };

  Playground.prototype.stackClear = function () {
    this.root.querySelectorAll(".cp-stack [data-linked]").forEach(function (node) { node.removeAttribute("data-linked"); });
  };

  Playground.prototype.stackUnlink = function () {
    if (this.stackPinned) {
      this.stackLink(this.stackPinned[0], this.stackPinned[1]);
    } else {
      this.stackClear();
      if (this.stackNote) this.stackNote.textContent = "";
    }
  };

  var current = null;

  function start() {
    var root = document.querySelector("[data-conv-playground]");
    if (current) current.stop();
    current = root ? new Playground(root) : null;
  }

  /* Plain data for tests: what the page shows for a configuration of strings. */
  function summary(raw) {
    var result = compute(raw);
    if (result.error) return { error: result.error };
    var trace = result.trace;
    var reads = links(trace);
    return {
      output: trace.output,
      formulas: trace.steps.map(function (step) { return formula(trace, step); }),
      arithmetic: trace.steps.map(function (step) { return arithmetic(trace, step); }),
      cells: trace.cells.map(function (row) { return row.map(function (cell) { return cell.value; }); }),
      sources: trace.cells.map(function (row) { return row.map(function (cell) { return cell.source; }); }),
      unread: trace.unread,
      padding: trace.padding,
      reads: reads.map(function (list) { /* the input cells behind the cells read, each once */
        var seen = {};
        return list.filter(function (r) {
          var key = r[0] + ":" + r[2];
          if (r[2] === null || seen[key]) return false;
          seen[key] = true;
          return true;
        }).map(function (r) { return [r[0], r[2]]; });
      }),
      groups: trace.steps.map(function (step) { return readsChannels(trace, step.channel).channels; }),
      code: pytorchCode(trace),
    };
  }

  window.convPlayground = { compute: compute, summary: summary, stack: stackSummary, fmt: fmt, address: addressOf };

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(start); /* mkdocs-material: runs on every page, instant navigation included */
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
