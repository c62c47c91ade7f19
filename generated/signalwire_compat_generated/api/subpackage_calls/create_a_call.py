from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.call_response import CallResponse
from ...models.compatibility_error_array_response import CompatibilityErrorArrayResponse
from ...models.compatibility_error_response import CompatibilityErrorResponse
from ...models.create_call_request import CreateCallRequest
from ...types import Response


def _get_kwargs(
    account_sid: UUID,
    *,
    body: CreateCallRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/Accounts/{account_sid}/Calls".format(
            account_sid=quote(str(account_sid), safe=""),
        ),
    }

    _kwargs["data"] = body.to_dict()
    headers["Content-Type"] = "application/x-www-form-urlencoded"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CallResponse | CompatibilityErrorArrayResponse | CompatibilityErrorResponse | None:
    if response.status_code == 200:
        response_200 = CallResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = CompatibilityErrorArrayResponse.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = CompatibilityErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 422:
        response_422 = CompatibilityErrorResponse.from_dict(response.json())

        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[CallResponse | CompatibilityErrorArrayResponse | CompatibilityErrorResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    account_sid: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: CreateCallRequest,
) -> Response[CallResponse | CompatibilityErrorArrayResponse | CompatibilityErrorResponse]:
    """Create a Call

     Create a call.

    #### Permissions

    The API token used to authenticate must have the following scope(s) enabled to make a successful
    request: _Voice_.

    [Learn more about API scopes](/docs/platform/your-signalwire-api-space).

    Args:
        account_sid (UUID):
        body (CreateCallRequest): Request body for creating a call.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CallResponse | CompatibilityErrorArrayResponse | CompatibilityErrorResponse]
    """

    kwargs = _get_kwargs(
        account_sid=account_sid,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    account_sid: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: CreateCallRequest,
) -> CallResponse | CompatibilityErrorArrayResponse | CompatibilityErrorResponse | None:
    """Create a Call

     Create a call.

    #### Permissions

    The API token used to authenticate must have the following scope(s) enabled to make a successful
    request: _Voice_.

    [Learn more about API scopes](/docs/platform/your-signalwire-api-space).

    Args:
        account_sid (UUID):
        body (CreateCallRequest): Request body for creating a call.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CallResponse | CompatibilityErrorArrayResponse | CompatibilityErrorResponse
    """

    return sync_detailed(
        account_sid=account_sid,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    account_sid: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: CreateCallRequest,
) -> Response[CallResponse | CompatibilityErrorArrayResponse | CompatibilityErrorResponse]:
    """Create a Call

     Create a call.

    #### Permissions

    The API token used to authenticate must have the following scope(s) enabled to make a successful
    request: _Voice_.

    [Learn more about API scopes](/docs/platform/your-signalwire-api-space).

    Args:
        account_sid (UUID):
        body (CreateCallRequest): Request body for creating a call.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CallResponse | CompatibilityErrorArrayResponse | CompatibilityErrorResponse]
    """

    kwargs = _get_kwargs(
        account_sid=account_sid,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    account_sid: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: CreateCallRequest,
) -> CallResponse | CompatibilityErrorArrayResponse | CompatibilityErrorResponse | None:
    """Create a Call

     Create a call.

    #### Permissions

    The API token used to authenticate must have the following scope(s) enabled to make a successful
    request: _Voice_.

    [Learn more about API scopes](/docs/platform/your-signalwire-api-space).

    Args:
        account_sid (UUID):
        body (CreateCallRequest): Request body for creating a call.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CallResponse | CompatibilityErrorArrayResponse | CompatibilityErrorResponse
    """

    return (
        await asyncio_detailed(
            account_sid=account_sid,
            client=client,
            body=body,
        )
    ).parsed
