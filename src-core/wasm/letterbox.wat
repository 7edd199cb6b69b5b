;; One output row of the letterbox (src-core/letterbox.ts), four pixels at a time with 128-bit SIMD: OpenCV's
;; INTER_LINEAR for 8-bit images, bit for bit, written as planar float32 RGB in [0, 1].
;;
;; Per output pixel x the caller lays out, in this module's memory:
;;   lefts    i32  byte offset of the left source pixel within a row (3 x its column)
;;   weights  i16  pairs (w0, w1), OpenCV's 11-bit horizontal weights of the left and right pixel
;; and copies the upper and lower source row to `upper` and `lower`, each followed by at least 8 spare bytes.
;; The right pixel is read at left + 3 bytes: where OpenCV clamps it to the left one (the last column), its
;; weight w1 is 0, so the byte read there does not count.
;;
;; Each value: h = (left * w0 + right * w1) >> 4 on both rows, then
;; ((v0 * hUpper) >> 16) + ((v1 * hLower) >> 16) + 2) >> 2 -- OpenCV's fixed-point arithmetic -- then / 255
;; for the floats.
(module
  (memory (export "memory") 1)

  ;; The horizontal pass over one source row for four output pixels: R, G and B sums, each >> 4.
  ;; Gathers the 8 bytes at each pixel's left offset (its RGB, then the right pixel's RGB) and regroups them
  ;; into (left, right) pairs per channel for i32x4.dot_i16x8_s with the weight pairs.
  (func $horizontal (param $row i32) (param $l0 i32) (param $l1 i32) (param $l2 i32) (param $l3 i32)
                    (param $w v128) (result v128 v128 v128)
    (local $a v128) (local $b v128) (local $rg v128) (local $bb v128)
    (local.set $a (v128.load64_lane 1 (i32.add (local.get $row) (local.get $l1))
                    (v128.load64_zero (i32.add (local.get $row) (local.get $l0)))))
    (local.set $b (v128.load64_lane 1 (i32.add (local.get $row) (local.get $l3))
                    (v128.load64_zero (i32.add (local.get $row) (local.get $l2)))))
    ;; Bytes 0-2 of each 8 are the left pixel's R, G, B and bytes 3-5 the right pixel's.
    (local.set $rg (i8x16.shuffle 0 3 8 11 16 19 24 27 1 4 9 12 17 20 25 28 (local.get $a) (local.get $b)))
    (local.set $bb (i8x16.shuffle 2 5 10 13 18 21 26 29 0 0 0 0 0 0 0 0 (local.get $a) (local.get $b)))
    (i32x4.shr_s (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_u (local.get $rg)) (local.get $w)) (i32.const 4))
    (i32x4.shr_s (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_u (local.get $rg)) (local.get $w)) (i32.const 4))
    (i32x4.shr_s (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_u (local.get $bb)) (local.get $w)) (i32.const 4)))

  ;; The vertical blend of one channel for four pixels: the 8-bit values, as i32.
  (func $blend (param $upper v128) (param $lower v128) (param $v0 v128) (param $v1 v128) (result v128)
    (i32x4.shr_s
      (i32x4.add
        (i32x4.add
          (i32x4.shr_s (i32x4.mul (local.get $upper) (local.get $v0)) (i32.const 16))
          (i32x4.shr_s (i32x4.mul (local.get $lower) (local.get $v1)) (i32.const 16)))
        (i32x4.splat (i32.const 2)))
      (i32.const 2)))

  ;; The same as floats in [0, 1].
  (func $vertical (param $upper v128) (param $lower v128) (param $v0 v128) (param $v1 v128) (result v128)
    (f32x4.div
      (f32x4.convert_i32x4_u (call $blend (local.get $upper) (local.get $lower) (local.get $v0) (local.get $v1)))
      (f32x4.splat (f32.const 255))))

  ;; Writes `width` (>= 4) pixels at `out` (R plane; G and B follow `plane` bytes apart). Groups of four from
  ;; the left; the last group is moved left to end at the last pixel, recomputing a few pixels identically.
  (func (export "row") (param $upper i32) (param $lower i32) (param $v1 i32) (param $out i32) (param $plane i32)
                       (param $width i32) (param $lefts i32) (param $weights i32)
    (local $x i32) (local $last i32) (local $t i32) (local $w v128) (local $vv0 v128) (local $vv1 v128)
    (local $ur v128) (local $ug v128) (local $ub v128) (local $lr v128) (local $lg v128) (local $lb v128)
    (local $o i32)
    (local.set $vv0 (i32x4.splat (i32.sub (i32.const 2048) (local.get $v1))))
    (local.set $vv1 (i32x4.splat (local.get $v1)))
    (local.set $last (i32.sub (local.get $width) (i32.const 4)))
    (block $done
      (loop $group
        (if (i32.gt_s (local.get $x) (local.get $last)) (then (local.set $x (local.get $last))))
        (local.set $t (i32.add (local.get $lefts) (i32.shl (local.get $x) (i32.const 2))))
        (local.set $w (v128.load (i32.add (local.get $weights) (i32.shl (local.get $x) (i32.const 2)))))
        (call $horizontal (local.get $upper)
          (i32.load (local.get $t)) (i32.load offset=4 (local.get $t))
          (i32.load offset=8 (local.get $t)) (i32.load offset=12 (local.get $t)) (local.get $w))
        (local.set $ub) (local.set $ug) (local.set $ur)
        (call $horizontal (local.get $lower)
          (i32.load (local.get $t)) (i32.load offset=4 (local.get $t))
          (i32.load offset=8 (local.get $t)) (i32.load offset=12 (local.get $t)) (local.get $w))
        (local.set $lb) (local.set $lg) (local.set $lr)
        (local.set $o (i32.add (local.get $out) (i32.shl (local.get $x) (i32.const 2))))
        (v128.store (local.get $o)
          (call $vertical (local.get $ur) (local.get $lr) (local.get $vv0) (local.get $vv1)))
        (v128.store (i32.add (local.get $o) (local.get $plane))
          (call $vertical (local.get $ug) (local.get $lg) (local.get $vv0) (local.get $vv1)))
        (v128.store (i32.add (local.get $o) (i32.shl (local.get $plane) (i32.const 1)))
          (call $vertical (local.get $ub) (local.get $lb) (local.get $vv0) (local.get $vv1)))
        (br_if $done (i32.ge_s (local.get $x) (local.get $last)))
        (local.set $x (i32.add (local.get $x) (i32.const 4)))
        (br $group))))
)
