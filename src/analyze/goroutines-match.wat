;; The goroutine fast path's matcher (goroutines-template.ts): is the goroutine at `at` the
;; recorded template but for its id, arguments and parent id? WebAssembly because V8 runs it
;; at full speed from the first call (JavaScript spent the first ~20 % of a large dump in the
;; interpreter) and compares 16 bytes per instruction.
;;
;; Memory (one instance per parse, never grown; offsets in goroutines-wasm.ts):
;;   [0, 64 Ki)            ops: (kind, byte count) i32 pairs, as GoroutineTemplate records them
;;   [64 Ki, 128 Ki)       the template's literal bytes, in op order
;;   [128 Ki, 128 Ki + 16) results of the last match: f64 goroutine id, f64 parent id or -1
;;   [192 Ki, …)           the chunk of the dump being scanned (read-lines.ts reads into it)
;;
;; Op kinds: 0 literal (n bytes must be equal), 1 arguments (up to the line's \n, no `(`
;; before it, `)` right before it; the \n is the next literal's), 2 the goroutine's id,
;; 3 the parent's id (digits). Assemble with `npm run wasm` (scripts/wat-to-ts.mjs).
(module
  (memory (export "memory") 20)
  (func (export "match") (param $at i32) (param $end i32) (param $opsEnd i32) (result i32)
    (local $pos i32) (local $from i32) (local $op i32) (local $kind i32) (local $stop i32)
    (local $c i32) (local $num f64) (local $start i32) (local $v v128) (local $mask i32)
    (local.set $pos (local.get $at))
    (local.set $from (i32.const 65536))
    (f64.store (i32.const 131080) (f64.const -1))
    (block $done
      (loop $ops
        (br_if $done (i32.ge_u (local.get $op) (local.get $opsEnd)))
        (local.set $kind (i32.load (local.get $op)))
        (local.set $stop (i32.add (local.get $pos) (i32.load offset=4 (local.get $op))))
        (local.set $op (i32.add (local.get $op) (i32.const 8)))
        (if (i32.eqz (local.get $kind))
          (then
            ;; A literal: 16 bytes at a time, then the rest one by one.
            (if (i32.gt_u (local.get $stop) (local.get $end)) (then (return (i32.const -1))))
            (block $wide (loop $next16
              (br_if $wide (i32.gt_u (i32.add (local.get $pos) (i32.const 16)) (local.get $stop)))
              (if (i32.eqz (i8x16.all_true (i8x16.eq (v128.load (local.get $pos)) (v128.load (local.get $from)))))
                (then (return (i32.const -1))))
              (local.set $pos (i32.add (local.get $pos) (i32.const 16)))
              (local.set $from (i32.add (local.get $from) (i32.const 16)))
              (br $next16)))
            (block $narrow (loop $next1
              (br_if $narrow (i32.ge_u (local.get $pos) (local.get $stop)))
              (if (i32.ne (i32.load8_u (local.get $pos)) (i32.load8_u (local.get $from))) (then (return (i32.const -1))))
              (local.set $pos (i32.add (local.get $pos) (i32.const 1)))
              (local.set $from (i32.add (local.get $from) (i32.const 1)))
              (br $next1)))
            (br $ops)))
        (if (i32.eq (local.get $kind) (i32.const 1))
          (then
            ;; Arguments: skip 16 bytes while none is \n or `(`; the byte loop then stops on it.
            (block $wide (loop $next16
              (br_if $wide (i32.gt_u (i32.add (local.get $pos) (i32.const 16)) (local.get $end)))
              (local.set $v (v128.load (local.get $pos)))
              (local.set $mask (i8x16.bitmask (v128.or
                (i8x16.eq (local.get $v) (i8x16.splat (i32.const 10)))
                (i8x16.eq (local.get $v) (i8x16.splat (i32.const 40))))))
              (if (local.get $mask) (then
                (local.set $pos (i32.add (local.get $pos) (i32.ctz (local.get $mask))))
                (br $wide)))
              (local.set $pos (i32.add (local.get $pos) (i32.const 16)))
              (br $next16)))
            (block $newline (loop $next1
              (if (i32.ge_u (local.get $pos) (local.get $end)) (then (return (i32.const -1))))
              (local.set $c (i32.load8_u (local.get $pos)))
              (br_if $newline (i32.eq (local.get $c) (i32.const 10)))
              (if (i32.eq (local.get $c) (i32.const 40)) (then (return (i32.const -1))))
              (local.set $pos (i32.add (local.get $pos) (i32.const 1)))
              (br $next1)))
            (if (i32.ne (i32.load8_u (i32.sub (local.get $pos) (i32.const 1))) (i32.const 41)) (then (return (i32.const -1))))
            (br $ops)))
        ;; An id: decimal digits, at least one (f64: exact to 2^53, as in JavaScript).
        (local.set $start (local.get $pos))
        (local.set $num (f64.const 0))
        (block $digits (loop $next
          (br_if $digits (i32.ge_u (local.get $pos) (local.get $end)))
          (local.set $c (i32.sub (i32.load8_u (local.get $pos)) (i32.const 48)))
          (br_if $digits (i32.gt_u (local.get $c) (i32.const 9)))
          (local.set $num (f64.add (f64.mul (local.get $num) (f64.const 10)) (f64.convert_i32_u (local.get $c))))
          (local.set $pos (i32.add (local.get $pos) (i32.const 1)))
          (br $next)))
        (if (i32.eq (local.get $pos) (local.get $start)) (then (return (i32.const -1))))
        (if (i32.eq (local.get $kind) (i32.const 2))
          (then (f64.store (i32.const 131072) (local.get $num)))
          (else (f64.store (i32.const 131080) (local.get $num))))
        (br $ops)))
    (local.get $pos))
)
