; Class definitions that have base classes: the candidates for nn.Module
; subclasses. Whether a base really is nn.Module (through any import alias or
; an indirect subclass) is decided by evaluating the file, not here.
(module
  (class_definition
    name: (identifier) @class.name
    superclasses: (argument_list) @class.bases) @class.definition)

(module
  (decorated_definition
    definition: (class_definition
      name: (identifier) @class.name
      superclasses: (argument_list) @class.bases)) @class.definition)
