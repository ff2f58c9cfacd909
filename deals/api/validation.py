"""How writes are checked: by the models' own rules, with every error reported at once."""

import copy
from collections.abc import Mapping

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.fields import SkipField, get_error_detail

from deals.api.exceptions import NON_FIELD_ERRORS as API_NON_FIELD_ERRORS


class ModelRulesMixin:
    """Validate a write with the model's `full_clean()`, as the admin's forms do."""

    def validate(self, attrs):
        attrs = super().validate(attrs)
        instance = self.build_instance(attrs)
        try:
            instance.full_clean()
        except DjangoValidationError as exc:
            raise serializers.ValidationError(self.api_errors(exc)) from None
        return attrs

    def build_instance(self, attrs):
        """The instance as it would be saved: a copy, so nothing changes before saving."""
        model = self.Meta.model
        instance = copy.copy(self.instance) if self.instance is not None else model()
        columns = {field.name for field in model._meta.concrete_fields}
        for name, value in attrs.items():
            if name in columns:
                setattr(instance, name, value)
        return instance

    def api_errors(self, exc):
        paths = self.api_paths()
        return {paths.get(name, name): messages for name, messages in exc.message_dict.items()}

    def api_paths(self):
        """{model field name: API path}, from the serializer's own fields."""
        paths = {NON_FIELD_ERRORS: API_NON_FIELD_ERRORS}
        for name, field in self.fields.items():
            if field.source == "*" and hasattr(field, "fields"):
                for sub_name, sub_field in field.fields.items():
                    paths[sub_field.source] = f"{name}.{sub_name}"
            elif field.source and field.source != "*":
                paths[field.source] = name
        return paths


class AllErrorsMixin:
    """Field errors and cross-field errors in one 400 (issue 16)."""

    def to_internal_value(self, data):
        """DRF's field by field validation, which stops at field errors before validate();
        here the model's rules still run on the fields that did validate, so a bad
        currency and a signing date against its ceremony come in one 400."""
        if not isinstance(data, Mapping):
            return super().to_internal_value(data)
        attrs = {}
        errors = {str(name): ["Unknown field."] for name in data if name not in self.fields}
        for field in self._writable_fields:
            check = getattr(self, f"validate_{field.field_name}", None)
            try:
                value = field.run_validation(field.get_value(data))
                value = check(value) if check else value
            except serializers.ValidationError as exc:
                errors[field.field_name] = exc.detail
            except DjangoValidationError as exc:
                errors[field.field_name] = get_error_detail(exc)
            except SkipField:
                continue
            else:
                self.set_value(attrs, field.source_attrs, value)
        if errors:
            raise serializers.ValidationError({**self.rule_errors(attrs, errors), **errors})
        return attrs

    def rule_errors(self, attrs, failed):
        """The model's errors for the fields that validated, leaving out the model fields
        behind the ones that failed (their errors are already said)."""
        excluded = set()
        for name in failed:
            field = self.fields.get(name)
            if field is not None and field.source == "*" and hasattr(field, "fields"):
                excluded |= {sub.source for sub in field.fields.values()}
            elif field is not None:
                excluded.add(field.source)
        try:
            self.build_instance(attrs).full_clean(exclude=excluded)
        except DjangoValidationError as exc:
            return {
                path: messages
                for path, messages in self.api_errors(exc).items()
                if path.split(".")[0] not in failed and path != API_NON_FIELD_ERRORS
            }
        return {}
