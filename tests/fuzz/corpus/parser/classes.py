class Base(metaclass=Meta):
    attr: int = 0
    other: "list[str]"

    def method(self, x):
        nonlocal_value = x
        return super().method(x)


@dataclass(frozen=True)
class Child(Base, Mixin, **extra):
    pass
