; torchshape directives in comments: `# torchshape: input=1,3,32,32`,
; `# torchshape: ignore[code]`.
((comment) @directive
  (#match? @directive "^#\\s*torchshape:"))
